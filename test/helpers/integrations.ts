/**
 * The real parts the suite drives beyond Node.js: PostgreSQL, Chromium, the Temporal servers, the independent
 * signature verifiers and the EU DSS validator. vitest.config.ts detects them once per run (reading .tools/test.env,
 * which `npm run provision` writes, for variables the environment leaves unset); a test asks `integration(name)`.
 * A developer's run names what it did not run; CI (CI=true) refuses to start without every one of them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type IntegrationName =
  | 'postgres'
  | 'chromium'
  | 'temporal-cli'
  | 'temporal-test-server'
  | 'xmlsec1'
  | 'pdfsig'
  | 'xmllint'
  | 'pyhanko'
  | 'signxml'
  | 'dss';

/** The environment variable through which each integration reaches the tests. */
export const INTEGRATION_ENV: Record<IntegrationName, string> = {
  postgres: 'TEST_DATABASE_URL',
  chromium: 'CHROMIUM_PATH',
  'temporal-cli': 'TEMPORAL_CLI_PATH',
  'temporal-test-server': 'TEMPORAL_TEST_SERVER_PATH',
  xmlsec1: 'XMLSEC1_PATH',
  pdfsig: 'PDFSIG_PATH',
  xmllint: 'XMLLINT_PATH',
  pyhanko: 'PYHANKO_PATH',
  signxml: 'PYTHON_TOOLS_PATH',
  dss: 'DSS_VALIDATOR_PATH',
};

export const PROVISION_COMMAND = 'npm run provision';

export interface Detected {
  /** Integration → what the tests use (a URL or an executable path). */
  found: Partial<Record<IntegrationName, string>>;
  /** Integration → why it is not available. */
  missing: Partial<Record<IntegrationName, string>>;
}

/** In a test: the URL or path of an integration, or undefined when this run does not have it. */
export function integration(name: IntegrationName): string | undefined {
  return process.env[INTEGRATION_ENV[name]] || undefined;
}

/** Reads KEY=VALUE lines (provisioning's .tools/test.env) into env where env has no value yet. */
export function loadEnvFile(file: string, env: NodeJS.ProcessEnv): void {
  if (!fs.existsSync(file)) return;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m && env[m[1]] === undefined) env[m[1]] = m[2];
  }
}

function executable(p: string | undefined): string | undefined {
  if (!p) return undefined;
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return p;
  } catch {
    return undefined;
  }
}

function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const found = executable(path.join(dir, cmd));
    if (found) return found;
  }
  return undefined;
}

async function postgresReachable(url: string): Promise<string | undefined> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (e) {
    return `not reachable at ${url.replace(/:[^:@/]*@/, ':***@')} (${(e as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function pythonImports(python: string | undefined, module: string): boolean {
  if (!python) return false;
  try {
    execFileSync(python, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/** The DSS launcher runs when Java starts it and the tool answers a bare call with its usage error (exit 64). */
function dssRuns(launcher: string | undefined): boolean {
  if (!launcher) return false;
  return spawnSync(launcher, [], { stdio: 'ignore', timeout: 30_000 }).status === 64;
}

/** Finds every integration; `venv` is the provisioned virtualenv the Python tools fall back to (DSS: ../bin). */
export async function detectIntegrations(env: NodeJS.ProcessEnv, venv: string): Promise<Detected> {
  const found: Detected['found'] = {};
  const missing: Detected['missing'] = {};
  const tool = (name: IntegrationName, candidate: string | undefined, what: string) => {
    if (candidate) found[name] = candidate;
    else missing[name] = what;
  };

  if (env.TEST_DATABASE_URL) {
    const why = await postgresReachable(env.TEST_DATABASE_URL);
    tool('postgres', why ? undefined : env.TEST_DATABASE_URL, `PostgreSQL ${why}`);
  } else missing.postgres = 'PostgreSQL: TEST_DATABASE_URL is not set';

  const exe = (name: IntegrationName, fallback: string | undefined, label: string) =>
    tool(name, executable(env[INTEGRATION_ENV[name]]) ?? fallback, `${label} not found (${INTEGRATION_ENV[name]})`);
  exe('chromium', executable('/usr/bin/chromium') ?? onPath('chromium'), 'Chromium (Debian)');
  exe('temporal-cli', executable(path.join(venv, 'bin/temporal')), 'Temporal CLI `temporal`');
  exe('temporal-test-server', executable(path.join(venv, 'bin/temporal-test-server')), 'Temporal time-skipping test server');
  exe('xmlsec1', onPath('xmlsec1'), 'xmlsec1');
  exe('pdfsig', onPath('pdfsig'), 'pdfsig (poppler-utils)');
  exe('xmllint', onPath('xmllint'), 'xmllint (libxml2-utils)');
  exe('pyhanko', executable(path.join(venv, 'bin/pyhanko')), 'pyHanko CLI');
  const python = executable(env.PYTHON_TOOLS_PATH) ?? executable(path.join(venv, 'bin/python'));
  tool('signxml', pythonImports(python, 'signxml') ? python : undefined, 'signxml (Python, in the provisioned virtualenv)');
  const dss = executable(env.DSS_VALIDATOR_PATH) ?? executable(path.join(path.dirname(venv), 'bin/dss-validate'));
  tool('dss', dssRuns(dss) ? dss : undefined, `EU DSS validator not found or Java does not start it (${INTEGRATION_ENV.dss})`);
  return { found, missing };
}

/** The lines a run prints about what it did not run. */
export function missingReport(d: Detected): string[] {
  const names = Object.keys(d.missing) as IntegrationName[];
  if (names.length === 0) return [];
  return [
    `Integrations NOT run (${names.length}): ${names.join(', ')}`,
    ...names.map((n) => `  - ${n}: ${d.missing[n]}`),
    `Enable them all with: ${PROVISION_COMMAND}   (as root: installs and starts them; see README "Developing")`,
  ];
}
