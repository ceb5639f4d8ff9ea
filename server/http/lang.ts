import type { Request } from 'express';
import type { Lang } from '../core/i18n';

/** Vietnamese unless the client prefers English (Accept-Language: en…). */
export function langOf(req: Pick<Request, 'headers'>): Lang {
  const header = String(req.headers['accept-language'] ?? '').toLowerCase();
  const first = header.split(',')[0]?.trim() ?? '';
  return first.startsWith('en') ? 'en' : 'vi';
}
