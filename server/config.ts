import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_BACKUP_AT, parseBackupAt } from '../domain/backup-schedule';

/** Configuration from the environment, validated at start with a message that says what to fix. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://')
    .default('sqlite:./data/school.sqlite'),
  DATA_DIR: z.string().default('./data'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUDIT_CHECKPOINT_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  CORS_ORIGIN: z.string().url('must be a URL such as http://localhost:3000').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 7).default(12),
  DEMO_SEED: z.enum(['true', 'false']).default('true'),
  DEMO_SIGNING: z.enum(['true', 'false']).default('true'),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  COOKIE_SECURE: z.enum(['true', 'false', 'auto']).default('auto'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  SMTP_FROM: z.string().min(3).default('Sổ điểm điện tử <no-reply@localhost>'),
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port, e.g. localhost:7233').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TIMELINE_ENGINE: z.enum(['on', 'off']).default('on'),
  BACKUP_NIGHTLY: z.enum(['on', 'off']).default('on'),
  BACKUP_AT: z
    .string()
    .refine((v) => parseBackupAt(v) !== null, 'must be a time of day HH:MM in Vietnam time, 00:00 to 23:59 (e.g. 02:00)')
    .default(DEFAULT_BACKUP_AT),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_KEEP: z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(366, 'must be at most 366').default(14),
  SYNC_ENDPOINT: z.string().url('must be a URL such as https://so-gddt.example/sync').optional(),
  SYNC_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
});

export interface Config {
  port: number;
  /** The interface to listen on: loopback for the embedded default, `0.0.0.0` in the container. */
  host: string;
  databaseUrl: string;
  dataDir: string;
  sessionSecret: string;
  /** Signs the audit chain checkpoints; when absent, derived from sessionSecret (docs/security.md). */
  auditCheckpointKey?: string;
  corsOrigin: string;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  demoSeed: boolean;
  /** With demoSeed: the demo PKI, last school year and its transcripts through the chain, in the background. */
  demoSigning?: boolean;
  trustProxy: boolean;
  cookieSecure: 'auto' | boolean;
  /** Email for notifications (nodemailer); none when unset: notifications stay in the app. */
  smtpUrl?: string;
  smtpFrom?: string;
  /** The timeline runs on this Temporal server (the scaled deployment); unset: the embedded engine. */
  temporalAddress?: string;
  temporalNamespace?: string;
  /** off: no engine in this process (a second app process behind a load balancer, or tests). */
  timelineEngine?: 'on' | 'off';
  /** The nightly backup (server/nightly/, workflows/nightly-backup.ts); see README "Backups". */
  backup?: BackupSettings;
  /** Đồng bộ CSDL: the receiving service's address (server/sync-receiver or the province's); unset: file export only. */
  syncEndpoint?: string;
  /** Sent as `Authorization: Bearer <key>` with every packet. */
  syncApiKey?: string;
  /** First retry delay of the HTTP transport (doubling); tests shorten it. */
  syncRetryBaseMs?: number;
  /** Failed sign-ins per client address per 15 minutes (default 50, server/auth/throttle.ts); tests lower it. */
  loginIpMaxFailures?: number;
  /** Lowered only by tests: argon2 at production cost makes a 300-test suite crawl. */
  argon2MemoryKiB?: number;
}

export interface BackupSettings {
  /** BACKUP_NIGHTLY: off disables the nightly job (manual `npm run backup` still works). */
  nightly: boolean;
  /** BACKUP_AT: Vietnam wall-clock time, HH:MM. */
  at: string;
  /** BACKUP_DIR: where every backup goes, manual and nightly (default DATA_DIR/backups). */
  dir: string;
  /** BACKUP_KEEP: how many nightly backup files are kept; manual ones are never pruned. */
  keep: number;
}

/** A configuration's backup settings; one built by hand (tests, tools) gets the defaults. */
export function backupSettingsOf(config: Pick<Config, 'dataDir' | 'backup'>): BackupSettings {
  return config.backup ?? { nightly: true, at: DEFAULT_BACKUP_AT, dir: path.join(config.dataDir, 'backups'), keep: 14 };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration (environment variables):\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    sessionSecret: e.SESSION_SECRET ?? loadOrCreateSecret(e.DATA_DIR),
    auditCheckpointKey: e.AUDIT_CHECKPOINT_KEY,
    corsOrigin: e.CORS_ORIGIN ?? `http://localhost:${e.PORT}`,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    demoSeed: e.DEMO_SEED === 'true',
    demoSigning: e.DEMO_SIGNING === 'true',
    trustProxy: e.TRUST_PROXY === 'true',
    cookieSecure: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
    temporalAddress: e.TEMPORAL_ADDRESS,
    temporalNamespace: e.TEMPORAL_NAMESPACE,
    timelineEngine: e.TIMELINE_ENGINE,
    backup: { nightly: e.BACKUP_NIGHTLY === 'on', at: e.BACKUP_AT.trim(), dir: e.BACKUP_DIR ?? path.join(e.DATA_DIR, 'backups'), keep: e.BACKUP_KEEP },
    syncEndpoint: e.SYNC_ENDPOINT,
    syncApiKey: e.SYNC_API_KEY,
  };
}

/** A generated secret is kept under the data directory so sessions survive a restart. */
function loadOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (fs.existsSync(file)) {
    const secret = fs.readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return secret;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString('hex');
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
