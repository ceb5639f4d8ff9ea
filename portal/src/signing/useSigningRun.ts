import { useEffect, useRef, useState } from 'react';
import { useTranslate } from 'react-admin';
import { errorBody, errorText } from '../api/client';
import type { BatchStatus, SigningTask } from '../transcripts/types';
import { batchStatus, errorLines, isFinished, startBatch, taskRef } from './api';

/** How often the progress bar asks the server (GET /signing/batches/:id). */
export const POLL_MS = 700;

export interface RunState {
  total: number;
  done: number;
  failed: number;
  errors: string[];
  finished: boolean;
}

/**
 * Why the server refused to start (wrong PIN, missing TOTP, nothing to sign): the field's own message when there
 * is one ("Mã PIN của chứng thư số không đúng…"), not the generic "check the marked fields" in front of it.
 */
export function refusalText(e: unknown): string {
  const b = errorBody(e);
  const fields = Object.values(b.errors).filter(Boolean);
  return fields.length > 0 ? fields.join(' ') : b.message;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Signs one or more tasks, one batch after the other (POST /signing/batches per task), and follows each batch every
 * ~700 ms. `start` resolves with the refusal of the first batch (wrong PIN, missing TOTP…) for the PIN dialog to
 * show, or null once signing runs; the PIN is a local of that call and is dropped when the last batch is started.
 */
export function useSigningRun(onFinished: () => void) {
  const translate = useTranslate();
  const explain = (key: string) => translate(`app.hocba.signing.errors.${key}`, { _: key });
  const [run, setRun] = useState<RunState | null>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  async function follow(id: string | number, before: RunState, total: number): Promise<BatchStatus> {
    for (;;) {
      const b = await batchStatus(id);
      if (!alive.current) return b;
      setRun({ ...before, total: Math.max(total, before.done + before.failed + b.total), done: before.done + b.done, failed: before.failed + b.failed, errors: [...before.errors, ...errorLines(b, explain)] });
      if (isFinished(b)) return b;
      await sleep(POLL_MS);
    }
  }

  async function start(tasks: SigningTask[], pin: string, totp?: string): Promise<string | null> {
    if (tasks.length === 0) return null;
    let firstId: string | number;
    try {
      firstId = await startBatch(taskRef(tasks[0]), pin, totp);
    } catch (e) {
      return refusalText(e);
    }
    const total = tasks.reduce((n, t) => n + t.ready, 0);
    let state: RunState = { total, done: 0, failed: 0, errors: [], finished: false };
    setRun(state);
    void (async () => {
      let secret: string | null = pin;
      for (let i = 0; i < tasks.length && alive.current; i++) {
        let id: string | number;
        try {
          id = i === 0 ? firstId : await startBatch(taskRef(tasks[i]), secret!, totp);
        } catch (e) {
          state = { ...state, failed: state.failed + tasks[i].ready, errors: [...state.errors, errorText(e)] };
          setRun(state);
          continue;
        }
        if (i === tasks.length - 1) secret = null;
        try {
          const b = await follow(id, state, total);
          state = { ...state, done: state.done + b.done, failed: state.failed + b.failed, errors: [...state.errors, ...errorLines(b, explain)] };
          // A batch may hold more (or fewer) items than the task's count said: the bar follows the server.
          state.total = Math.max(total, state.done + state.failed + tasks.slice(i + 1).reduce((n, t) => n + t.ready, 0));
        } catch (e) {
          state = { ...state, errors: [...state.errors, errorText(e)] };
        }
      }
      secret = null;
      if (!alive.current) return;
      setRun({ ...state, total: Math.max(state.total, state.done + state.failed), finished: true });
      onFinished();
    })();
    return null;
  }

  return { run, start, clear: () => setRun(null) };
}
