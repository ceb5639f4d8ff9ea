import type { Knex } from 'knex';
import type { Lang } from '../core/i18n';
import { dialect } from '../db/knex';
import { describeEvent, type AuditDescription, type AuditEventLike } from './describe';
import { NameBook, type NameData, type NameKind } from './names';

type Conn = Knex | Knex.Transaction;

/**
 * A page of events in words, with a bounded number of queries whatever the page holds: the page is described
 * once against an empty NameBook, which notes every id the shown lines name; those are fetched in one query per
 * kind (users, students with their classes, classes, subjects, semesters, years, staff, departments, transcript
 * versions); then the page is described again with the names.
 */
export async function describePage(conn: Conn, events: AuditEventLike[], lang: Lang, limit: number): Promise<AuditDescription[]> {
  const book = new NameBook();
  for (const ev of events) describeEvent(ev, book, lang, limit);
  await loadNames(conn, book);
  return events.map((ev) => describeEvent(ev, book, lang, limit));
}

/** Fills the book with every id it noted as wanted. A transcript version names its student: versions first. */
export async function loadNames(conn: Conn, book: NameBook): Promise<void> {
  const want = (kind: NameKind) => [...book.wanted[kind]];
  const { data } = book;
  const pg = dialect(conn) === 'pg';
  const fill = (query: Knex.QueryBuilder, column: string, ids: number[], put: (r: Row) => void) => fillFrom(query, column, ids, put, pg);
  if (book.wanted.versions.size > 0) {
    const rows = (await idIn(
      conn('transcript_versions as v').join('transcripts as t', 't.id', 'v.transcript_id').select('v.id', 'v.version', 'v.class_id', 't.student_id'),
      'v.id',
      want('versions'),
      pg,
    )) as Row[];
    for (const r of rows) {
      data.versions.set(Number(r.id), { studentId: Number(r.student_id), version: Number(r.version), classId: Number(r.class_id) });
      book.wanted.students.add(Number(r.student_id));
      book.wanted.classes.add(Number(r.class_id));
    }
  }
  await Promise.all([
    fill(conn('users').select('id', 'full_name', 'username'), 'id', want('users'), (r) => data.users.set(Number(r.id), { fullName: String(r.full_name), username: String(r.username) })),
    loadStudents(conn, want('students'), data, pg),
    fill(conn('classes').select('id', 'name'), 'id', want('classes'), (r) => data.classes.set(Number(r.id), { name: String(r.name) })),
    fill(conn('subjects').select('id', 'name'), 'id', want('subjects'), (r) => data.subjects.set(Number(r.id), { name: String(r.name) })),
    fill(
      conn('semesters as s').join('school_years as y', 'y.id', 's.school_year_id').select('s.id', 's.number', 'y.name'),
      's.id',
      want('semesters'),
      (r) => data.semesters.set(Number(r.id), { number: Number(r.number), year: String(r.name) }),
    ),
    fill(conn('school_years').select('id', 'name'), 'id', want('years'), (r) => data.years.set(Number(r.id), { name: String(r.name) })),
    fill(conn('staff').select('id', 'full_name'), 'id', want('staff'), (r) => data.staff.set(Number(r.id), { fullName: String(r.full_name) })),
    fill(conn('departments').select('id', 'name'), 'id', want('departments'), (r) => data.departments.set(Number(r.id), { name: String(r.name) })),
  ]);
}

/** Students with the class of their latest enrolment (by school year, then enrolment date): one query. */
async function loadStudents(conn: Conn, ids: number[], data: NameData, pg: boolean): Promise<void> {
  if (ids.length === 0) return;
  const rows = (await idIn(
    conn('students as s')
      .leftJoin('enrolments as e', 'e.student_id', 's.id')
      .leftJoin('classes as c', 'c.id', 'e.class_id')
      .leftJoin('school_years as y', 'y.id', 'e.school_year_id')
      .select('s.id', 's.full_name', 'c.name as class_name', 'y.start_date as year_start', 'e.start_date as enrolled', 'e.id as enrolment_id'),
    's.id',
    ids,
    pg,
  )) as Row[];
  const latest = new Map<number, { key: string; row: Row }>();
  for (const r of rows) {
    const key = `${String(r.year_start ?? '')}|${String(r.enrolled ?? '')}|${String(r.enrolment_id ?? '').padStart(12, '0')}`;
    const id = Number(r.id);
    const seen = latest.get(id);
    if (!seen || key > seen.key) latest.set(id, { key, row: r });
  }
  for (const [id, { row }] of latest) data.students.set(id, { fullName: String(row.full_name), className: row.class_name === null ? null : String(row.class_name) });
}

type Row = Record<string, unknown>;

async function fillFrom(query: Knex.QueryBuilder, column: string, ids: number[], put: (r: Row) => void, pg: boolean): Promise<void> {
  if (ids.length === 0) return;
  for (const r of (await idIn(query, column, ids, pg)) as Row[]) put(r);
}

/**
 * `column` among `ids`, as one statement text whatever their number: the ids go as one array parameter (a JSON
 * text on SQLite). An IN list would make a new text for every length, and PostgreSQL names only the first 300
 * distinct texts a process runs (server/db/knex.ts): browsing the log must not use up the grade book's.
 */
function idIn(query: Knex.QueryBuilder, column: string, ids: number[], pg: boolean): Knex.QueryBuilder {
  return query.whereRaw(pg ? '?? = any(?::int[])' : '?? in (select value from json_each(?))', [column, pg ? ids : JSON.stringify(ids)]);
}
