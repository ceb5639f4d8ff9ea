import crypto from 'node:crypto';
import type { SecretBox } from '../auth/secret-box';
import { AppError } from '../core/errors';
import type { MessageKey } from '../core/i18n';
import { msg } from '../core/i18n';
import * as signing from './toolkit';
import type { CertificateInfo, CertificateRefusal, ToBeSigned } from '../signing/types';
import type { CertificateRow } from './store';

/**
 * The software keystore as the chain uses it (server/signing does the cryptography): a PKCS#12 kept sealed with
 * the server's SecretBox, opened with the holder's PIN for one batch only — the PIN and the open key live in this
 * process's memory for the batch and are dropped after; neither is stored or logged.
 */
export interface OpenKey {
  privateKey: crypto.KeyObject;
  certificatePem: string;
  chainPems: string[];
}

export function sealPkcs12(box: SecretBox, p12: Buffer): string {
  return box.seal(p12.toString('base64'));
}

/** Opens a stored keystore with its PIN; a wrong PIN (or a damaged file) is the holder's error, nothing is signed. */
export function openStoredKey(box: SecretBox, cert: CertificateRow, pin: string): OpenKey {
  if (!cert.pkcs12) throw new AppError('conflict', 'signingNoCertificate');
  const p12 = Buffer.from(box.open(cert.pkcs12), 'base64');
  return openPkcs12OrRefuse(p12, pin, 'pin');
}

export function openPkcs12OrRefuse(p12: Buffer, pin: string, field: string): OpenKey {
  try {
    return signing.openPkcs12(p12, pin);
  } catch {
    throw new AppError('invalid', 'validation', {}, { [field]: { key: field === 'pin' ? 'signingWrongPin' : 'certificateBadPkcs12' } });
  }
}

export function describe(pem: string): CertificateInfo {
  return signing.describeCertificate(pem);
}

const REFUSAL_KEYS: Record<CertificateRefusal, MessageKey> = {
  'certificate.notYetValid': 'certNotYetValid',
  'certificate.expired': 'certExpired',
  'certificate.keyUsage': 'certKeyUsage',
  'certificate.untrusted': 'certUntrusted',
  'certificate.notOwner': 'certNotOwner',
  'certificate.revoked': 'certRevoked',
};

/**
 * The certificate status check before any signing (the national standard for signing software): dates, key usage,
 * chain to the school's trust anchors, revocation in our registry, and that it belongs to this person (their
 * name and national id in the subject) — or, for the seal, to the school.
 */
export function assertCertificateUsable(cert: CertificateRow, anchors: string[], owner: signing.CertificateOwner, at = new Date()): void {
  const refusal: CertificateRefusal | null = cert.revokedAt ? 'certificate.revoked' : signing.checkCertificate(cert.pem, { trustAnchors: anchors, at, owner });
  if (refusal) throw new AppError('conflict', 'signingCertificateRefused', { why: msg(REFUSAL_KEYS[refusal] ?? 'certUntrusted') });
}

export function signWith(key: OpenKey, tbs: ToBeSigned): Buffer {
  return signing.signToBeSigned(key.privateKey, tbs);
}

/** Does `value` sign `tbs` under the certificate's public key? */
export function signatureMatches(certificatePem: string, tbs: ToBeSigned, value: Buffer): boolean {
  return signing.verifyToBeSigned(new crypto.X509Certificate(certificatePem).publicKey, tbs, value);
}
