import crypto from 'node:crypto';

/**
 * Encrypts small secrets at rest (TOTP seeds) with AES-256-GCM under a key derived from the session secret,
 * so a copy of the database alone does not yield anyone's second factor.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
  /** HMAC used to store session tokens: the database never holds a usable cookie value. */
  mac(value: string): string;
}

export function createSecretBox(sessionSecret: string): SecretBox {
  const encKey = crypto.createHash('sha256').update(`totp-at-rest:${sessionSecret}`).digest();
  const macKey = crypto.createHash('sha256').update(`session-id:${sessionSecret}`).digest();
  return {
    seal(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [v, iv, tag, body] = sealed.split('.');
      if (v !== 'v1' || !iv || !tag || !body) throw new Error('unknown sealed secret format');
      const decipher = crypto.createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    mac(value) {
      return crypto.createHmac('sha256', macKey).update(value).digest('hex');
    },
  };
}
