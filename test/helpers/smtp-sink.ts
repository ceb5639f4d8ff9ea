/**
 * A real SMTP server on loopback for the email tests (the `smtp-server` package): no TLS, no auth, every message
 * collected and decoded (RFC 2047 subject, quoted-printable or base64 body). It can be stopped and started again
 * on the same port (SMTP down), or made to refuse mail with a 451 (SMTP up but failing).
 */
import { SMTPServer } from 'smtp-server';
import { freePort } from './temporal';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  raw: string;
}

export interface SmtpSink {
  port: number;
  url: string;
  messages: ReceivedMail[];
  /** Closes the listening socket: connections are refused until start(). */
  stop: () => Promise<void>;
  start: () => Promise<void>;
  /** While true, every message is refused with 451 (a temporary failure). */
  refuse: boolean;
  /** While true, the server takes the message and never answers (a send that hangs until the client dies). */
  hang: boolean;
  /** Messages taken while hanging (never acknowledged, so never delivered). */
  hung: number;
  close: () => Promise<void>;
}

function decodeBytes(s: string, enc: string): string {
  if (enc.toUpperCase() === 'B') return Buffer.from(s, 'base64').toString('utf8');
  const bytes: number[] = [];
  const src = s.replace(/_/g, ' ');
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(src[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (the whitespace between two adjacent words is dropped). */
export function decodeHeader(v: string): string {
  return v.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _cs, enc: string, s: string) => decodeBytes(s, enc));
}

function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

export function parseMail(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1] ?? '';
  const cte = header('Content-Transfer-Encoding').trim().toLowerCase();
  const text = cte === 'quoted-printable' ? decodeQuotedPrintable(body) : cte === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  return { subject: decodeHeader(header('Subject')), text: text.replace(/\r\n/g, '\n').trimEnd() };
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const port = await freePort();
  const messages: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  const sink: SmtpSink = {
    port,
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    messages,
    refuse: false,
    hang: false,
    hung: 0,
    start: async () => {
      server = new SMTPServer({
        secure: false,
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        // A hung connection (the hang mode) must not hold close() for the default 30 s.
        closeTimeout: 200,
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            if (sink.hang) {
              sink.hung += 1;
              return; // no reply: the client waits
            }
            if (sink.refuse) {
              const err = Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 });
              return callback(err);
            }
            const raw = Buffer.concat(chunks).toString('utf8');
            messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              ...parseMail(raw),
            });
            callback();
          });
        },
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, '127.0.0.1', () => resolve());
      });
    },
    stop: async () => {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    close: async () => sink.stop(),
  };
  await sink.start();
  return sink;
}
