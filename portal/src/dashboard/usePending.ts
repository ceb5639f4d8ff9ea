import { useEffect, useState } from 'react';
import { apiCall } from '../api/client';

/** GET /api/dashboard/pending (server/dashboard/week.ts): requests waiting for the signed-in user's decision. */
export interface PendingCounts {
  unlockRequests: number;
  correctionRequests: number;
}

const EVERY_MS = 120_000;

/**
 * The pending requests for the menu's badges: asked when the menu mounts, when the window gets the focus back and
 * every two minutes; nothing is asked for a user who decides none (`enabled` false).
 */
export function usePendingCounts(enabled: boolean): PendingCounts | null {
  const [counts, setCounts] = useState<PendingCounts | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const load = () =>
      apiCall<PendingCounts>('/dashboard/pending')
        .then((c) => live && setCounts(c))
        .catch(() => undefined);
    void load();
    const timer = window.setInterval(load, EVERY_MS);
    window.addEventListener('focus', load);
    return () => {
      live = false;
      window.clearInterval(timer);
      window.removeEventListener('focus', load);
    };
  }, [enabled]);
  return counts;
}
