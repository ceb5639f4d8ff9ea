/** Email through SMTP (nodemailer) when SMTP_URL is set; without it, notifications stay in the app. */
import nodemailer from 'nodemailer';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: OutgoingEmail): Promise<void>;
  /** Closes the pooled connections (at shutdown, so they do not keep the process alive). */
  close?(): void;
}

/**
 * A pooled transport: a round of digests reuses a few open SMTP connections instead of a new connection (and TLS
 * handshake) per email — one connection per message cost ~100 ms each on loopback, 9 s for a school's 88 teachers
 * (bench/timeline.ts). Digests still go out one after another; the pool only keeps the connections open.
 */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ pool: true, maxConnections: 3, url });
  return {
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close: () => transport.close(),
  };
}
