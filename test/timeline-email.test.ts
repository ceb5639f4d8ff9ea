/**
 * Timeline email through a real SMTP server on loopback (smtp-server) and the production mailer (nodemailer
 * smtpMailer): the embedded engine's steps on a virtual clock, then deliverEmails. At most one digest per person
 * per day, merging their items, in Vietnamese, naming class, subject, columns, missing count and days overdue;
 * nothing between 21:00 and 06:30 (held to 06:30); an escalation goes out the same day even after a digest; SMTP
 * down or refusing → no email, the in-app item is there, retried with backoff and sent exactly once when it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vnAt, vnDateOf } from '../domain/timeline';
import { deliverEmails } from '../server/notifications/deliver';
import { smtpMailer, type Mailer } from '../server/notifications/mailer';
import { runDueSteps } from '../server/timeline/engine';
import { testDatabases, type FreshDb } from './helpers/databases';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './helpers/smtp-sink';
import { demoYear } from './helpers/timeline-year';
import { emailOf, entryMilestone, scenarioConfig, userId, writeConfig } from './helpers/timeline-scenario';

const M1 = entryMilestone({
  key: 'nhap-du-lieu',
  title: 'Hoàn thành nhập dữ liệu học bạ',
  due: vnAt('2028-05-20', '17:00'),
  reminderDays: [1],
  escalation: [
    { role: 'departmentHead', afterDays: 0 },
    { role: 'vicePrincipal', afterDays: 1 },
  ],
});
/** Grades 6 and 7, due late in the evening: its escalation falls in the quiet hours. */
const M2 = entryMilestone({
  key: 'khoi-6-7',
  title: 'Khối 6, 7: hoàn thành nhập điểm',
  due: vnAt('2028-05-20', '22:00'),
  scope: { grades: [6, 7] },
  reminderDays: [1],
  escalation: [{ role: 'departmentHead', afterDays: 0 }],
});
/** Added mid-morning on 19/5: its reminder (07:00 that day) runs at once, after the day's digest went out. */
const M3 = entryMilestone({ key: 'bo-sung', title: 'Bổ sung điểm kiểm tra lại', due: vnAt('2028-05-27', '17:00'), reminderDays: [8] });

describe.each(testDatabases())('timeline email through real SMTP on %s', (kind) => {
  let fresh: FreshDb;
  let yearId: number;
  let sink: SmtpSink;
  let mailer: Mailer;
  /** Every delivery round: its instant and the mail it produced. */
  const rounds: Array<{ now: string; mail: ReceivedMail[] }> = [];

  const deliverAt = async (now: string) => {
    const before = sink.messages.length;
    await deliverEmails(fresh.db, mailer, now);
    const mail = sink.messages.slice(before);
    rounds.push({ now, mail });
    return mail;
  };
  const stepAt = async (now: string) => {
    await runDueSteps(fresh.db, now);
    return deliverAt(now);
  };
  const to = (mail: ReceivedMail[], address: string) => mail.filter((m) => m.to.includes(address));

  beforeAll(async () => {
    ({ fresh, yearId } = await demoYear(kind, 40));
    await writeConfig(fresh.db, yearId, scenarioConfig([M1, M2]), vnAt('2028-05-18', '12:00'));
    sink = await startSmtpSink();
    mailer = smtpMailer(sink.url, 'so-diem@thcs.test');
  }, 120_000);
  afterAll(async () => {
    await sink?.close();
    await fresh?.drop();
  });

  it('merges a person’s items of the day into one Vietnamese digest; a later item waits for the next morning', async () => {
    const dh = await emailOf(fresh.db, 'totruong');
    // 19/5 07:00: two reminders (M1 for everyone, M2 for grades 6–7) → one digest with both.
    const morning = await stepAt(vnAt('2028-05-19', '07:00'));
    const mine = to(morning, dh);
    expect(mine).toHaveLength(1);
    expect(mine[0].subject).toBe('[Sổ điểm] 2 việc cần làm');
    expect(mine[0].text).toContain('Kính gửi Nguyễn Kim Vân');
    expect(mine[0].text).toContain('Nhắc việc: Hoàn thành nhập dữ liệu học bạ — còn thiếu 150 (hạn 17:00 20/05/2028)');
    expect(mine[0].text).toContain('Nhắc việc: Khối 6, 7: hoàn thành nhập điểm — còn thiếu');
    expect(mine[0].text).toMatch(/• 6A1 – Toán – HK I \(ĐĐGtx 1, ĐĐGtx 2, ĐĐGtx 3, ĐĐGtx 4, ĐĐGgk, ĐĐGck\): thiếu 30, quá hạn \d+ ngày/);
    expect(mine[0].text).toMatch(/• 7A1 – Toán – HK II \(.*ĐĐGgk\): thiếu 20, quá hạn \d+ ngày/);
    // Every teacher who owes got exactly one mail, at most one per address.
    const addresses = morning.flatMap((m) => m.to);
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(addresses.length).toBeGreaterThan(10);
    // In app: both items are there, and marked as emailed.
    const inApp = (await fresh.db('notifications').where({ user_id: await userId(fresh.db, 'totruong') }).orderBy('id')) as Array<Record<string, unknown>>;
    expect(inApp.map((n) => `${n.milestone}:${n.email_status}`).sort()).toEqual(['khoi-6-7:sent', 'nhap-du-lieu:sent']);

    // 10:00: the principal adds a milestone whose reminder (07:00) is due at once → in app now, email tomorrow.
    await writeConfig(fresh.db, yearId, scenarioConfig([M1, M2, M3]));
    expect(to(await stepAt(vnAt('2028-05-19', '10:00')), dh)).toEqual([]);
    const held = (await fresh.db('notifications').where({ user_id: await userId(fresh.db, 'totruong'), milestone: 'bo-sung' }).first()) as Record<string, unknown>;
    expect(held.email_status).toBe('pending');
    expect(held.email_next_at).toBe(vnAt('2028-05-20', '06:30'));
    expect(await deliverAt(vnAt('2028-05-19', '16:00'))).toEqual([]);
    expect(await deliverAt(vnAt('2028-05-19', '23:00'))).toEqual([]);
    expect(await deliverAt(vnAt('2028-05-20', '06:29'))).toEqual([]);
    const next = to(await deliverAt(vnAt('2028-05-20', '06:30')), dh);
    expect(next).toHaveLength(1);
    expect(next[0].subject).toBe('[Sổ điểm] 1 việc cần làm');
    expect(next[0].text).toContain('Nhắc việc: Bổ sung điểm kiểm tra lại');
  });

  it('sends an escalation the same day even after a digest, and holds one made at night until 06:30', async () => {
    const dh = await emailOf(fresh.db, 'totruong');
    // 20/5 17:00: M1 escalates to the department heads — totruong already had a digest at 06:30 today.
    const evening = to(await stepAt(vnAt('2028-05-20', '17:00')), dh);
    expect(evening).toHaveLength(1);
    expect(evening[0].subject).toBe('[Sổ điểm] 1 thông báo, 1 về chậm tiến độ');
    expect(evening[0].text).toMatch(/Chậm tiến độ: \d+ người chưa hoàn thành «Hoàn thành nhập dữ liệu học bạ» \(hạn 17:00 20\/05\/2028\)/);
    expect(evening[0].text).toMatch(/• Nguyễn Trọng Việt: thiếu 200 — 7A2 – Toán – HK I \(ĐĐGtx 1.*\): thiếu 30, quá hạn \d+ ngày/);
    expect(evening[0].text).not.toContain('Nguyễn Kim Vân: thiếu'); // nobody is escalated to about themselves

    // 22:00: M2 escalates in the quiet hours → in app at once, email at 06:30.
    expect(await stepAt(vnAt('2028-05-20', '22:00'))).toEqual([]);
    const night = (await fresh.db('notifications').where({ user_id: await userId(fresh.db, 'totruong'), milestone: 'khoi-6-7', kind: 'escalate' }).first()) as Record<string, unknown>;
    expect(night.email_next_at).toBe(vnAt('2028-05-21', '06:30'));
    expect(await deliverAt(vnAt('2028-05-21', '02:00'))).toEqual([]);
    expect(await deliverAt(vnAt('2028-05-21', '06:29'))).toEqual([]);
    const dawn = to(await deliverAt(vnAt('2028-05-21', '06:30')), dh);
    expect(dawn.map((m) => m.subject)).toEqual(['[Sổ điểm] 1 thông báo, 1 về chậm tiến độ']);
    expect(dawn[0].text).toContain('«Khối 6, 7: hoàn thành nhập điểm»');
  });

  it('SMTP down, then refusing: no email, the in-app items stay; retried with backoff and sent exactly once', async () => {
    const vps = ['phohieutruong', 'vy.tt'];
    const vpMail = await Promise.all(vps.map((u) => emailOf(fresh.db, u)));
    const vpIds = await Promise.all(vps.map((u) => userId(fresh.db, u)));
    await sink.stop();
    // 21/5 07:00: M1 escalates to the vice principals while the SMTP server is down.
    expect(await stepAt(vnAt('2028-05-21', '07:00'))).toEqual([]);
    const rows = async () => (await fresh.db('notifications').whereIn('user_id', vpIds).where({ milestone: 'nhap-du-lieu', kind: 'escalate' }).orderBy('user_id')) as Array<Record<string, unknown>>;
    expect((await rows()).map((r) => [r.email_status, Number(r.email_attempts), r.email_next_at])).toEqual(vpIds.map(() => ['pending', 1, vnAt('2028-05-21', '07:01')]));
    // The in-app item is there all along (the escalation names who is late).
    for (const r of await rows()) expect(String(r.title)).toMatch(/^Chậm tiến độ: \d+ người chưa hoàn thành/);
    // Not retried before its backoff.
    await sink.start();
    expect(await deliverAt(vnAt('2028-05-21', '07:00:30'))).toEqual([]);
    // 07:01: the server answers but refuses (451) → still nothing, next try 5 minutes later.
    sink.refuse = true;
    expect(await deliverAt(vnAt('2028-05-21', '07:01'))).toEqual([]);
    expect((await rows()).map((r) => [r.email_status, Number(r.email_attempts), r.email_next_at])).toEqual(vpIds.map(() => ['pending', 2, vnAt('2028-05-21', '07:06')]));
    expect(await deliverAt(vnAt('2028-05-21', '07:05'))).toEqual([]);
    // Back: each vice principal gets exactly one email; later rounds send nothing again.
    sink.refuse = false;
    const back = await deliverAt(vnAt('2028-05-21', '07:06'));
    expect(back.flatMap((m) => m.to).sort()).toEqual([...vpMail].sort());
    for (const m of back) expect(m.subject).toBe('[Sổ điểm] 1 thông báo, 1 về chậm tiến độ');
    expect((await rows()).map((r) => r.email_status)).toEqual(['sent', 'sent']);
    expect(await deliverAt(vnAt('2028-05-21', '07:30'))).toEqual([]);
    expect(await deliverAt(vnAt('2028-05-22', '07:00'))).toEqual([]);
  });

  it('over the whole run: at most one reminder digest per person per day, none in the quiet hours, no item emailed twice', async () => {
    const perDay = new Map<string, number>();
    for (const r of rounds) {
      const local = new Date(Date.parse(r.now) + 7 * 3_600_000).toISOString().slice(11, 16);
      if (r.mail.length) expect(local >= '06:30' && local < '21:00').toBe(true);
      for (const m of r.mail) {
        if (m.subject.includes('chậm tiến độ')) continue;
        const k = `${m.to.join(',')}|${vnDateOf(r.now)}`;
        perDay.set(k, (perDay.get(k) ?? 0) + 1);
      }
    }
    expect(Math.max(...perDay.values())).toBe(1);
    // Every notification with an address was emailed once: the number of items in the mails equals the rows sent.
    const sent = (await fresh.db('notifications').where({ email_status: 'sent' }).count({ n: '*' }).first()) as { n: number | string };
    const items = sink.messages.reduce((n, m) => n + Number(/^\[Sổ điểm\] (\d+)/.exec(m.subject)![1]), 0);
    expect(items).toBe(Number(sent.n));
    const pending = (await fresh.db('notifications').whereIn('email_status', ['pending', 'sending']).count({ n: '*' }).first()) as { n: number | string };
    expect(Number(pending.n)).toBe(0);
  });
});
