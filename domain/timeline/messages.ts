/**
 * What people read: the Vietnamese text of a reminder, an escalation or a report. Each line names the class, the
 * subject, the columns, how many scores are missing and by how many days they are overdue (timeline.md: "each
 * recipient sees exactly who is late on what, and by how much").
 */
import { formatVn } from '../cutoffs';
import type { ActionItem, DebtDetail, DueAction } from './actions';
import { vnDateOf } from './calendar';
import type { TimelineConfig } from './types';

export interface Message {
  title: string;
  lines: string[];
}

const ddmmyyyy = (date: string) => date.split('-').reverse().join('/');

function detailLine(d: DebtDetail): string {
  const where = [d.className, d.subjectName].filter(Boolean).join(' – ');
  if (d.text) return `${where}: ${d.text}`;
  const cols = d.columns?.length ? ` (${d.columns.join(', ')})` : '';
  const late = d.overdueDays && d.overdueDays > 0 ? `, quá hạn ${d.overdueDays} ngày` : '';
  return `${where}${cols}: thiếu ${d.missing}${late}`;
}

function personLine(i: ActionItem): string {
  const where = i.details.map(detailLine).join('; ');
  return `${i.personName}: thiếu ${i.missing}${where ? ` — ${where}` : ''}`;
}

function deadlineOf(a: DueAction, config: TimelineConfig): { title: string; due: string | null } {
  if (a.milestone === 'weekly') return { title: 'Nhập điểm đánh giá thường xuyên trong tuần', due: null };
  if (a.milestone === 'inspection') return { title: 'Kiểm tra việc nhập điểm hằng tháng', due: null };
  const m = config.milestones.find((x) => x.key === a.milestone);
  return { title: m?.title ?? a.milestone, due: m?.due ?? null };
}

export function messageFor(a: DueAction, config: TimelineConfig): Message {
  const { title, due } = deadlineOf(a, config);
  const dueText = a.milestone === 'weekly' ? `hạn chót tuần ${ddmmyyyy(a.period)}` : due ? `hạn ${formatVn(due)}` : '';
  const missing = a.items.reduce((n, i) => n + i.missing, 0);
  switch (a.kind) {
    case 'remind':
      return { title: `Nhắc việc: ${title} — còn thiếu ${missing} (${dueText})`, lines: a.items.flatMap((i) => i.details.map(detailLine)) };
    case 'escalate':
      return { title: `Chậm tiến độ: ${a.items.length} người chưa hoàn thành «${title}» (${dueText})`, lines: a.items.map(personLine) };
    case 'report':
      return {
        title: `Báo cáo kiểm tra nhập điểm tháng ${a.period.slice(5)}/${a.period.slice(0, 4)}: ${a.items.length} người còn chậm`,
        lines: a.items.map(personLine),
      };
    case 'lock':
      return { title: `Đã khóa dữ liệu: ${title} (${ddmmyyyy(vnDateOf(a.at))})`, lines: [] };
  }
}
