/**
 * How the API tells the running engine that a timeline changed: the embedded engine re-plans at once; on Temporal
 * the school year's workflow gets the "timeline changed" signal (or is started). One interface, two engines.
 */
export interface TimelineControl {
  engine: 'embedded' | 'temporal';
  changed(schoolYearId: number): Promise<void>;
  stop(): Promise<void>;
}

/** No engine (tests that exercise the API alone). */
export const noTimelineEngine: TimelineControl = { engine: 'embedded', changed: async () => undefined, stop: async () => undefined };
