import crypto from 'node:crypto';
import argon2 from 'argon2';

/** argon2id with OWASP's recommended cost; tests lower the memory cost (ARGON2_MEMORY_KIB) to keep the suite fast. */
const memoryCost = Number(process.env.ARGON2_MEMORY_KIB ?? 19_456);

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, memoryCost, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A temporary password an admin reads out once: unambiguous letters and digits, policy-compliant. */
export function temporaryPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyz';
  const digits = '23456789';
  const pick = (set: string, n: number) => Array.from({ length: n }, () => set[crypto.randomInt(set.length)]).join('');
  return `${pick(letters, 4)}-${pick(digits, 4)}-${pick(letters, 4)}`;
}

/** Verifying against a dummy hash when the user does not exist keeps the response time the same. */
let dummyHash: Promise<string> | null = null;
export function dummyVerify(password: string): Promise<boolean> {
  dummyHash ??= hashPassword('not-a-real-password-0');
  return dummyHash.then((h) => verifyPassword(h, password)).then(() => false);
}
