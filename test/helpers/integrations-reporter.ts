/** Prints, at the start and again at the end of a run, which integrations this run did not exercise. */
import type { Reporter } from 'vitest/node';

function report(): void {
  const lines: string[] = JSON.parse(process.env.TEST_INTEGRATIONS_REPORT ?? '[]');
  if (lines.length === 0) {
    console.log('\nIntegrations: all run (PostgreSQL, Chromium, Temporal servers, signature verifiers, EU DSS validator).\n');
    return;
  }
  console.log(`\n${lines.join('\n')}\n`);
}

export default class IntegrationsReporter implements Reporter {
  onInit(): void {
    report();
  }

  onTestRunEnd(): void {
    report();
  }
}
