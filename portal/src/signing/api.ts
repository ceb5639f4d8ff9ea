import { apiCall } from '../api/client';
import type { BatchStatus, SigningTask, TaskRef } from '../transcripts/types';

/** GET /signing/tasks: the groups this user can sign (an array, or `{ tasks }`). */
export async function fetchTasks(): Promise<SigningTask[]> {
  const r = await apiCall<SigningTask[] | { tasks?: SigningTask[] }>('/signing/tasks');
  return Array.isArray(r) ? r : (r?.tasks ?? []);
}

/** The task as the batch endpoint names it: the step and whichever of class, subject, grade it has. */
export function taskRef(t: SigningTask): TaskRef {
  const ref: TaskRef = { step: t.step };
  if (t.classId != null) ref.classId = t.classId;
  if (t.subjectId != null) ref.subjectId = t.subjectId;
  if (t.grade != null) ref.grade = t.grade;
  return ref;
}

/** POST /signing/batches → 202 {batchId}. The PIN goes in this request's body only. */
export async function startBatch(task: TaskRef, pin: string, totp?: string): Promise<string | number> {
  const body: Record<string, unknown> = { task, pin };
  if (totp) body.totp = totp;
  const r = await apiCall<{ batchId: string | number }>('/signing/batches', { method: 'POST', body });
  return r.batchId;
}

export const batchStatus = (id: string | number) => apiCall<BatchStatus>(`/signing/batches/${encodeURIComponent(String(id))}`);

const TERMINAL = new Set(['done', 'completed', 'finished', 'failed', 'error', 'cancelled']);

/** The batch has stopped: a final status, or (when the server names none) every item accounted for. */
export function isFinished(b: BatchStatus): boolean {
  if (b.status && TERMINAL.has(b.status)) return true;
  return !b.status && b.total > 0 && b.done + b.failed >= b.total;
}

/** One line per failed item: "Nguyễn Văn A: Chứng thư hết hạn". */
export function errorLines(b: BatchStatus): string[] {
  return (b.errors ?? []).map((e) => {
    if (typeof e === 'string') return e;
    const why = e.message ?? e.reason ?? '';
    return e.studentName ? `${e.studentName}: ${why}` : why;
  });
}
