/**
 * node-forge's key derivations, done by OpenSSL instead of JavaScript. Opening a keystore (once per signing batch; a
 * school runs ~140 batches to seal its year) derived the key bag's key (PBKDF2, 10,000 iterations) and the integrity
 * MAC's key (the PKCS#12 KDF of RFC 7292 B.2, 10,000 SHA-1 rounds) in forge's JavaScript: ~20 ms of a batch's start,
 * when nothing else can run. The same derivations, natively, whenever forge asks synchronously with a digest OpenSSL
 * knows; anything else goes to forge's own code. forge's byte strings are Latin-1, as its own code reads them.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';

const NATIVE_DIGESTS = new Set(['sha1', 'sha256', 'sha384', 'sha512']);
const BLOCK: Record<string, number> = { sha1: 64, sha256: 64, sha384: 128, sha512: 128 };

const digestName = (md: unknown): string | undefined =>
  md === undefined || md === null ? 'sha1' : typeof md === 'string' ? md : ((md as { algorithm?: string }).algorithm ?? undefined);

const forgePbkdf2 = forge.pkcs5.pbkdf2;
forge.pkcs5.pbkdf2 = function nativePbkdf2(this: unknown, ...args: unknown[]) {
  const [password, salt, count, dkLen, md, callback] = args as [string, string, number, number, unknown, unknown];
  const name = digestName(md);
  if (typeof callback !== 'function' && typeof md !== 'function' && name && NATIVE_DIGESTS.has(name)) {
    return crypto.pbkdf2Sync(Buffer.from(password, 'latin1'), Buffer.from(salt, 'latin1'), count, dkLen, name).toString('latin1');
  }
  return (forgePbkdf2 as (...a: unknown[]) => unknown).apply(this, args);
} as typeof forge.pkcs5.pbkdf2;

const hash = (name: string, data: Buffer): Buffer =>
  typeof crypto.hash === 'function' ? (crypto.hash(name, data, 'buffer') as unknown as Buffer) : crypto.createHash(name).update(data).digest();

/** RFC 7292 B.2, as forge computes it: the password as UTF-16BE code units plus a 0 unit, salt and password repeated. */
export function pkcs12Kdf(password: string | null | undefined, salt: Buffer, id: number, iterations: number, n: number, name: string): Buffer {
  if (!(iterations >= 1)) throw new Error('PKCS#12 key derivation iteration count must be >= 1.');
  const u = hash(name, Buffer.alloc(0)).length;
  const v = BLOCK[name];
  const pass = password === null || password === undefined ? Buffer.alloc(0) : Buffer.alloc(2 * (password.length + 1));
  if (password !== null && password !== undefined) for (let i = 0; i < password.length; i++) pass.writeUInt16BE(password.charCodeAt(i), 2 * i);
  const repeat = (b: Buffer) => {
    const out = Buffer.alloc(v * Math.ceil(b.length / v));
    for (let i = 0; i < out.length; i++) out[i] = b[i % b.length];
    return out;
  };
  const I = Buffer.concat([repeat(salt), repeat(pass)]);
  const D = Buffer.alloc(v, id);
  const out: Buffer[] = [];
  for (let i = 1, c = Math.ceil(n / u); i <= c; i++) {
    let a = hash(name, Buffer.concat([D, I]));
    for (let r = 1; r < iterations; r++) a = hash(name, a);
    out.push(a);
    if (i === c) break;
    // I_j = (I_j + B + 1) mod 2^(8v), B being A repeated to v bytes.
    const B = Buffer.alloc(v);
    for (let l = 0; l < v; l++) B[l] = a[l % u];
    for (let j = 0; j < I.length; j += v) {
      let x = 0x1ff;
      for (let l = v - 1; l >= 0; l--) {
        x = (x >> 8) + B[l] + I[j + l];
        I[j + l] = x & 0xff;
      }
    }
  }
  return Buffer.concat(out).subarray(0, n);
}

type Pkcs12Kdf = (password: string, salt: forge.util.ByteStringBuffer | string, id: number, iter: number, n: number, md?: unknown) => forge.util.ByteStringBuffer;
const pbe = (forge as unknown as { pbe: { generatePkcs12Key: Pkcs12Kdf } }).pbe;
const p12 = forge.pkcs12 as unknown as { generateKey: Pkcs12Kdf };
const forgeKdf = pbe.generatePkcs12Key;
const nativeKdf: Pkcs12Kdf = function (this: unknown, password, salt, id, iter, n, md) {
  const name = digestName(md);
  if (!name || !NATIVE_DIGESTS.has(name)) return forgeKdf.call(this, password, salt, id, iter, n, md);
  const key = pkcs12Kdf(password, Buffer.from(typeof salt === 'string' ? salt : salt.bytes(), 'latin1'), id, iter, n, name);
  return forge.util.createBuffer(key.toString('latin1'));
};
/** forge's original, for the test that checks the two agree. */
export const forgePkcs12Kdf = forgeKdf;
pbe.generatePkcs12Key = nativeKdf;
// pkcs12.js copied the function when it loaded: replace that reference too.
p12.generateKey = nativeKdf;
