import { useEffect, useMemo, useState } from 'react';
import { useGetIdentity, useGetList } from 'react-admin';
import { canReadGradebook, type DelegationRef } from '../../../domain/permissions';
import type { PortalIdentity } from '../auth/authProvider';
import { apiCall } from '../api/client';
import { formatDate, vnDateOf, vnToday } from '../format';

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

export interface YearChoice {
  id: number;
  isCurrent: boolean;
  name: string;
  startDate: string;
}

/** GET /api/entry-delegations/mine (server/locks/delegations.ts): grade books delegated to the signed-in user. */
export interface MyDelegation extends DelegationRef {
  id: number;
  className: string;
  grade: number;
  subjectName: string;
  /** The instant the right ends (the end of the last day, Vietnam time). */
  validUntil: string;
}

/** A quick choice: an assignment, or a delegation with the instant it ends. */
export interface QuickChoice {
  klass: ClassChoice;
  subject: SubjectChoice;
  delegatedUntil?: string;
}

/** dd/mm/yyyy of the last day a delegation covers: it ends at midnight after that day, Vietnam time. */
export function delegationLastDay(validUntil: string): string {
  return formatDate(vnDateOf(new Date(Date.parse(validUntil) - 1)));
}

/** The signed-in staff member's active delegations; none for a user the server refuses (a student, an office). */
function useMyDelegations(enabled: boolean): MyDelegation[] | undefined {
  const [list, setList] = useState<MyDelegation[] | undefined>(undefined);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    apiCall<MyDelegation[]>('/entry-delegations/mine')
      .then((l) => live && setList(l))
      .catch(() => live && setList([]));
    return () => {
      live = false;
    };
  }, [enabled]);
  return list;
}

/** The semester today falls in, else the last one that has started, else the first (dates are Vietnam dates). */
export function currentSemester(semesters: SemesterChoice[], today = vnToday()): SemesterChoice | undefined {
  const sorted = [...semesters].sort((a, b) => a.startDate.localeCompare(b.startDate));
  return sorted.find((s) => s.startDate <= today && today <= s.endDate) ?? [...sorted].reverse().find((s) => s.startDate <= today) ?? sorted[0];
}

/**
 * The class × subject grade books of the current school year the signed-in user may read (domain/permissions
 * canReadGradebook — the rule the server enforces, with the user's delegations), for the pickers. A subject
 * teacher's own assignments come first as quick choices, then the grade books delegated to them.
 */
export function useGradebookChoices(yearId?: number | null) {
  const { identity } = useGetIdentity();
  const principal = (identity as PortalIdentity | undefined)?.user.principal;
  const { data: years } = useGetList<YearChoice>('school-years', {
    pagination: ALL,
    sort: { field: 'startDate', order: 'DESC' },
  });
  // A page that looks back (results, lists) may name another year; the others work in the current one.
  const year = (yearId ? years?.find((y) => y.id === yearId) : undefined) ?? years?.find((y) => y.isCurrent) ?? years?.[0];
  const enabled = !!year;
  const { data: classes } = useGetList<ClassChoice>('classes', { pagination: ALL, sort: { field: 'name', order: 'ASC' }, filter: { schoolYearId: year?.id } }, { enabled });
  const { data: subjects } = useGetList<SubjectChoice>('subjects', { pagination: ALL, sort: { field: 'name', order: 'ASC' } });
  const { data: semesters } = useGetList<SemesterChoice>('semesters', { pagination: ALL, sort: { field: 'startDate', order: 'ASC' }, filter: { schoolYearId: year?.id } }, { enabled });
  // Staff only: the server refuses students and the education office, who are never delegated to.
  const isStaff = !!principal?.grants.some((g) => g.role !== 'student' && g.role !== 'education_office');
  const delegations = useMyDelegations(isStaff);

  return useMemo(() => {
    const readable = new Map<number, SubjectChoice[]>();
    if (principal && classes && subjects) {
      for (const c of classes) {
        const list = subjects.filter(
          (s) =>
            s.schoolId === c.schoolId &&
            s.periodsPerYear?.[String(c.grade)] !== undefined &&
            canReadGradebook(principal, { schoolId: c.schoolId, classId: c.id, grade: c.grade, subjectId: s.id, departmentId: s.departmentId }, delegations ?? []),
        );
        if (list.length > 0) readable.set(c.id, list);
      }
    }
    const classList = (classes ?? []).filter((c) => readable.has(c.id)).sort((a, b) => a.grade - b.grade || a.name.localeCompare(b.name, 'vi', { numeric: true }));
    const byClassAndSubject = (a: QuickChoice, b: QuickChoice) =>
      a.klass.grade - b.klass.grade || a.klass.name.localeCompare(b.klass.name, 'vi', { numeric: true }) || a.subject.name.localeCompare(b.subject.name, 'vi');
    const quick = (refs: Array<{ classId: number; subjectId: number; validUntil?: string }>): QuickChoice[] =>
      refs
        .flatMap((a): QuickChoice[] => {
          const klass = classList.find((c) => c.id === a.classId);
          const subject = subjects?.find((s) => s.id === a.subjectId);
          if (!klass || !subject) return [];
          return [a.validUntil ? { klass, subject, delegatedUntil: a.validUntil } : { klass, subject }];
        })
        .sort(byClassAndSubject);
    const assignments = quick(principal?.assignments ?? []);
    // A delegation for a grade book the user also teaches adds nothing; of two for the same one, the longest counts.
    const taught = new Set(assignments.map((a) => `${a.klass.id}:${a.subject.id}`));
    const latest = new Map<string, MyDelegation>();
    for (const d of delegations ?? []) {
      const k = `${d.classId}:${d.subjectId}`;
      if (!taught.has(k) && (latest.get(k)?.validUntil ?? '') < d.validUntil) latest.set(k, d);
    }
    const delegated = quick([...latest.values()]);
    return {
      loading: !classes || !subjects || !semesters || (isStaff && !delegations),
      year,
      /** Every school year, newest first. */
      years: years ?? [],
      classes: classList,
      /** Every class of the current year (pages with their own reading rule filter it). */
      allClasses: [...(classes ?? [])].sort((a, b) => a.grade - b.grade || a.name.localeCompare(b.name, 'vi', { numeric: true })),
      subjectsOf: (classId: number) => readable.get(classId) ?? [],
      semesters: semesters ?? [],
      subjectByCode: (code: string) => subjects?.find((s) => s.code === code),
      current: currentSemester(semesters ?? []),
      assignments,
      /** Grade books delegated to the user (entry_delegations), each with the instant its right ends. */
      delegated,
      homeroomClassIds: (principal?.homeroomClasses ?? []).map((h) => h.classId),
    };
  }, [principal, classes, subjects, semesters, year, years, delegations, isStaff]);
}
