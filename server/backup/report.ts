import { t, type Lang } from '../core/i18n';
import type { Finding } from './verify';

const MARK: Record<Finding['level'], string> = { ok: '✓', warn: '!', fail: '✗' };

/** What a check found, one line per finding, marked ✓ (fine), ! (worth knowing) or ✗ (refused). */
export function findingLines(findings: readonly Finding[], lang: Lang = 'vi'): string[] {
  return findings.map((f) => `  ${MARK[f.level]} ${t(lang, f.key, f.params)}`);
}
