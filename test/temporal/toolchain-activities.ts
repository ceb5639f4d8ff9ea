/** The toolchain probe's one activity: it records when, in workflow time, the workflow woke up. */
export interface WakeUp {
  startedAt: number;
  wokeAt: number;
}

export function createToolchainActivities(record: (w: WakeUp) => void) {
  return {
    async recordWakeUp(w: WakeUp): Promise<string> {
      record(w);
      return 'recorded';
    },
  };
}

export type ToolchainActivities = ReturnType<typeof createToolchainActivities>;
