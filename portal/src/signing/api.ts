import { apiCall } from '../api/client';
import type { BatchStatus, SigningTask, SigningTaskWire, TaskRef } from '../transcripts/types';

/** A group as the server sends it (`{task, label, ready, waiting, missing}`) → the page's flat task. */
export function flattenTask(t: SigningTaskWire | SigningTask): SigningTask {
  if (!('task' in t) || !t.task) return t as SigningTask;
  const { task, ...rest } = t;
  return { ...rest, ...task };
}

/** GET /signing/tasks: the groups this user can sign. */
export async function fetchTasks(): Promise<SigningTask[]> {
  const r = await apiCall<Array<SigningTaskWire | SigningTask> | { tasks?: Array<SigningTaskWire | SigningTask> }>('/signing/tasks');
  return (Array.isArray(r) ? r : (r?.tasks ?? [])).map(flattenTask);
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

/**
 * One line per failed item: "Nguyễn Văn A: Chứng thư hết hạn". The server sends a message key per item; `explain`
 * turns it into words (app.hocba.signing.errors.<key>, or the key itself).
 */
export function errorLines(b: BatchStatus, explain: (key: string) => string = (k) => k): string[] {
  return (b.errors ?? []).map((e) => {
    if (typeof e === 'string') return e;
    const why = e.message ?? e.reason ?? (e.key ? explain(e.key) : '');
    const who = e.studentName ?? (e.versionId ? `#${e.versionId}` : '');
    return who ? `${who}: ${why}` : why;
  });
}
