import { useMemo } from 'react';
import { useGetIdentity, useGetList } from 'react-admin';
import { canReadGradebook } from '../../../domain/permissions';
import type { PortalIdentity } from '../auth/authProvider';
import { vnToday } from '../format';

export interface ClassChoice {
  id: number;
  schoolId: number;
  name: string;
  grade: number;
  schoolYearId: number;
}
export interface SubjectChoice {
  id: number;
  schoolId: number;
  name: string;
  code: string;
  departmentId: number | null;
  assessmentType: 'scored' | 'comment';
  periodsPerYear: Record<string, number>;
}
export interface SemesterChoice {
  id: number;
  number: number;
  startDate: string;
  endDate: string;
  schoolYearId: number;
}

const ALL = { page: 1, perPage: 1000 };

/** The semester today falls in, else the last one that has started, else the first (dates are Vietnam dates). */
export function currentSemester(semesters: SemesterChoice[], today = vnToday()): SemesterChoice | undefined {
  const sorted = [...semesters].sort((a, b) => a.startDate.localeCompare(b.startDate));
  return sorted.find((s) => s.startDate <= today && today <= s.endDate) ?? [...sorted].reverse().find((s) => s.startDate <= today) ?? sorted[0];
}

/**
 * The class × subject grade books of the current school year the signed-in user may read (domain/permissions
 * canReadGradebook — the rule the server enforces), for the pickers. A subject teacher's own assignments come
 * first, as quick choices.
 */
export function useGradebookChoices() {
  const { identity } = useGetIdentity();
  const principal = (identity as PortalIdentity | undefined)?.user.principal;
  const { data: years } = useGetList<{ id: number; isCurrent: boolean; name: string; startDate: string }>('school-years', {
    pagination: ALL,
    sort: { field: 'startDate', order: 'DESC' },
  });
  const year = years?.find((y) => y.isCurrent) ?? years?.[0];
  const enabled = !!year;
  const { data: classes } = useGetList<ClassChoice>('classes', { pagination: ALL, sort: { field: 'name', order: 'ASC' }, filter: { schoolYearId: year?.id } }, { enabled });
  const { data: subjects } = useGetList<SubjectChoice>('subjects', { pagination: ALL, sort: { field: 'name', order: 'ASC' } });
  const { data: semesters } = useGetList<SemesterChoice>('semesters', { pagination: ALL, sort: { field: 'startDate', order: 'ASC' }, filter: { schoolYearId: year?.id } }, { enabled });

  return useMemo(() => {
    const readable = new Map<number, SubjectChoice[]>();
    if (principal && classes && subjects) {
      for (const c of classes) {
        const list = subjects.filter(
          (s) =>
            s.schoolId === c.schoolId &&
            s.periodsPerYear?.[String(c.grade)] !== undefined &&
            canReadGradebook(principal, { schoolId: c.schoolId, classId: c.id, grade: c.grade, subjectId: s.id, departmentId: s.departmentId }),
        );
        if (list.length > 0) readable.set(c.id, list);
      }
    }
    const classList = (classes ?? []).filter((c) => readable.has(c.id)).sort((a, b) => a.grade - b.grade || a.name.localeCompare(b.name, 'vi', { numeric: true }));
    const assignments = (principal?.assignments ?? [])
      .map((a) => ({ klass: classList.find((c) => c.id === a.classId), subject: subjects?.find((s) => s.id === a.subjectId) }))
      .filter((a): a is { klass: ClassChoice; subject: SubjectChoice } => !!a.klass && !!a.subject)
      .sort((a, b) => a.klass.grade - b.klass.grade || a.klass.name.localeCompare(b.klass.name, 'vi', { numeric: true }) || a.subject.name.localeCompare(b.subject.name, 'vi'));
    return {
      loading: !classes || !subjects || !semesters,
      year,
      classes: classList,
      /** Every class of the current year (pages with their own reading rule filter it). */
      allClasses: [...(classes ?? [])].sort((a, b) => a.grade - b.grade || a.name.localeCompare(b.name, 'vi', { numeric: true })),
      subjectsOf: (classId: number) => readable.get(classId) ?? [],
      semesters: semesters ?? [],
      subjectByCode: (code: string) => subjects?.find((s) => s.code === code),
      current: currentSemester(semesters ?? []),
      assignments,
      homeroomClassIds: (principal?.homeroomClasses ?? []).map((h) => h.classId),
    };
  }, [principal, classes, subjects, semesters, year]);
}
