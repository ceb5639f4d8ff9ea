import { bundleWorkflowCode, DefaultLogger, type WorkflowBundle } from '@temporalio/worker';

const bundles = new Map<string, Promise<WorkflowBundle>>();

/**
 * The workflow code at `workflowsPath`, bundled once per test process (webpack takes 1–3 s of CPU a bundle, and the
 * Temporal tests bundled the same files a dozen times a run). Keyed by path, so it is only for code no test
 * rewrites: a replay of deliberately changed code passes the changed copy's workflowsPath to the SDK itself.
 */
export function workflowBundle(workflowsPath: string): Promise<WorkflowBundle> {
  if (!bundles.has(workflowsPath)) bundles.set(workflowsPath, bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') }));
  return bundles.get(workflowsPath)!;
}
