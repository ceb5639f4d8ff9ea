import { useGetIdentity, useGetOne } from 'react-admin';
import type { PortalIdentity } from '../auth/authProvider';
import { GRADES, GRADES_BY_LEVEL } from './choices';

/** The signed-in user's school record (for its level), when they may read it. */
export function useSchool() {
  const { identity } = useGetIdentity();
  const schoolId = (identity as PortalIdentity | undefined)?.user.schoolId;
  const { data } = useGetOne<{ id: number; level?: string; name?: string }>(
    'schools',
    { id: schoolId as number },
    { enabled: typeof schoolId === 'number' },
  );
  return data;
}

/** The grades of the user's school level: 6–9 for THCS, 10–12 for THPT, 6–12 when unknown. */
export function useSchoolGrades(): readonly number[] {
  const school = useSchool();
  return (school?.level && GRADES_BY_LEVEL[school.level]) || GRADES;
}
