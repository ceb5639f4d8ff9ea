import pg from 'pg';
const c = new pg.Client({ host: '127.0.0.1', user: 'postgres', password: 'hocba-test', database: 'upx' });
await c.connect();
const { rows } = await c.query('select * from assessment_scores where semester_id=1 and class_id=3 and subject_id=2');
const N = 300;
async function time(label, make) {
  for (let w = 0; w < 2; w++) { const cpu0 = process.cpuUsage(); const t = performance.now();
  for (let i = 0; i < N; i++) { await c.query('begin'); await c.query(make(i)); await c.query('commit'); }
  const u = process.cpuUsage(cpu0); if (w) console.log(label, 'wall ms/op', ((performance.now() - t) / N).toFixed(2), 'node cpu ms/op', ((u.user + u.system) / 1000 / N).toFixed(2)); }
}
const cols = ['school_id','semester_id','class_id','subject_id','student_id','kind','seq','score','grade_text','first_entered_at','entered_by','updated_at','updated_by','version'];
const list = cols.join(', ');
let v = 1;
await time('upsert json_populate', (i) => ({ name: 'a', text: `insert into assessment_scores (${list}) select ${list} from json_populate_recordset(null::assessment_scores, $1::json) on conflict (semester_id, class_id, subject_id, student_id, kind, seq) do update set score = excluded.score, grade_text = excluded.grade_text, updated_at = excluded.updated_at, updated_by = excluded.updated_by, version = excluded.version`,
  values: [JSON.stringify(rows.map((r) => { const o = {}; for (const k of cols) o[k] = r[k]; o.score = String(5 + (i % 5)); o.version = i; o.updated_at = new Date().toISOString(); return o; }))] }));
await time('update json_to_recordset', (i) => ({ name: 'b', text: `update assessment_scores t set score = x.score, grade_text = x.grade_text, updated_at = x.updated_at, updated_by = x.updated_by, version = x.version from json_to_recordset($1::json) as x(id int, score numeric, grade_text text, updated_at text, updated_by int, version int) where t.id = x.id`,
  values: [JSON.stringify(rows.map((r) => ({ id: r.id, score: String(5 + (i % 5)), grade_text: null, updated_at: new Date().toISOString(), updated_by: 1, version: i })))] }));
await time('update unnest arrays', (i) => ({ name: 'c', text: `update assessment_scores t set score = x.score, updated_at = $3, updated_by = $4, version = x.version from unnest($1::int[], $2::numeric[], $5::int[]) as x(id, score, version) where t.id = x.id`,
  values: [rows.map((r) => r.id), rows.map(() => String(5 + (i % 5))), new Date().toISOString(), 1, rows.map(() => i)] }));
await c.end();
