/**
 * The two real Temporal servers for tests: the Java SDK's time-skipping test server and `temporal server start-dev`,
 * both from the binaries `npm run provision` installs (TEMPORAL_TEST_SERVER_PATH, TEMPORAL_CLI_PATH).
 * The dev server is started here, not by the SDK, because the SDK waits only 5 s for a server it starts and a busy
 * 2-core machine can take longer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

// Tests read results, not the SDK's chatter: warnings and errors only (the replay tests provoke core warnings on purpose).
Runtime.install({
  logger: new DefaultLogger('WARN'),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function timeSkippingEnv(testServerPath: string): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerPath } },
  });
}

export interface DevServer {
  address: string;
  env: TestWorkflowEnvironment;
  stop: () => Promise<void>;
}

async function waitUntilServing(address: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`temporal server start-dev exited (${child.exitCode}): ${log()}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      await conn.workflowService.getSystemInfo({});
      await conn.close();
      return;
    } catch (e) {
      if (Date.now() > until) throw new Error(`temporal server start-dev not serving after ${timeoutMs} ms: ${(e as Error).message}\n${log()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Starts `temporal server start-dev` (in memory, headless, loopback) and waits up to a minute for it. */
export async function startDevServer(cliPath: string): Promise<DevServer> {
  const [port, httpPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(
    cliPath,
    ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--http-port', String(httpPort), '--metrics-port', String(metricsPort), '--log-level', 'error'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const address = `127.0.0.1:${port}`;
  const stopChild = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  try {
    await waitUntilServing(address, child, () => output, 60_000);
    const env = await TestWorkflowEnvironment.createFromExistingServer({ address });
    return {
      address,
      env,
      stop: async () => {
        await env.teardown();
        await stopChild();
      },
    };
  } catch (e) {
    await stopChild();
    throw e;
  }
}
