/**
 * The software key holder: signs what `prepare*` produced with a key opened from the PKCS#12 keystore. A USB token
 * or remote signing service does the same job elsewhere (it receives `digestSha256`).
 */
import crypto from 'node:crypto';
import type { ToBeSigned } from './types';

/** RSA PKCS#1 v1.5 with SHA-256, or ECDSA P-256 with SHA-256 (raw r||s for XMLDSig, DER for CMS). */
export function signToBeSigned(privateKey: crypto.KeyObject, tbs: ToBeSigned): Buffer {
  if (tbs.algorithm === 'ECDSA-P256') {
    return crypto.sign('sha256', tbs.bytes, { key: privateKey, dsaEncoding: tbs.ecdsaEncoding ?? 'der' });
  }
  return crypto.sign('sha256', tbs.bytes, privateKey);
}

/** Checks a signature value against a certificate's public key, in the encoding the ToBeSigned asks for. */
export function verifyToBeSigned(publicKey: crypto.KeyObject, tbs: Pick<ToBeSigned, 'bytes' | 'ecdsaEncoding'>, value: Buffer): boolean {
  try {
    if (publicKey.asymmetricKeyType === 'ec') {
      return crypto.verify('sha256', tbs.bytes, { key: publicKey, dsaEncoding: tbs.ecdsaEncoding ?? 'der' }, value);
    }
    return crypto.verify('sha256', tbs.bytes, publicKey, value);
  } catch {
    return false;
  }
}

export function keyAlgorithmOf(key: crypto.KeyObject): ToBeSigned['algorithm'] {
  return key.asymmetricKeyType === 'ec' ? 'ECDSA-P256' : 'RSA-2048';
}
