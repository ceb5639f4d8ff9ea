import { AppError } from '../core/errors';
import type { PrintKind } from '../../domain/printing';
import { renderEnrolmentV1 } from './pdf-enrolment';
import { renderGradebookV1 } from './pdf-gradebook';
import { renderRollCallV1 } from './pdf-rollcall';

/**
 * The renderer versions of the printed books (issue 12). A print run stores the version it was approved with
 * (`print_runs.renderer`) and is always redrawn with that version, so its PDF keeps the approved bytes.
 *
 * A version is frozen once registered: test/print-renderers.test.ts renders a fixed snapshot with every version
 * and compares its SHA-256. To change a layout, add `<kind>@<n+1>` (a new function; the old one stays) and point
 * CURRENT_RENDERER at it — never edit what an existing version draws.
 */
export type Rendered = { pdf: Buffer; pages: number };
type Renderer = (snapshot: never) => Promise<Rendered>;

export const RENDERERS: Record<string, Renderer> = {
  'gradebook@1': renderGradebookV1 as Renderer,
  'rollcall@1': renderRollCallV1 as Renderer,
  'enrolment@1': renderEnrolmentV1 as Renderer,
};

/** The version a new approval of each kind uses. */
export const CURRENT_RENDERER: Record<PrintKind, string> = {
  gradebook: 'gradebook@1',
  rollcall: 'rollcall@1',
  enrolment: 'enrolment@1',
};

/** Runs approved before renderer versions were recorded were drawn by the first grade book renderer. */
export const LEGACY_RENDERER = 'gradebook@1';

export async function renderWith(renderer: string, snapshot: unknown): Promise<Rendered> {
  const draw = RENDERERS[renderer];
  // A run names a version this build does not have (a downgrade): refuse, as for a mismatch, rather than redraw otherwise.
  if (!draw) throw new AppError('internal', 'printRunMismatch');
  return draw(snapshot as never);
}
