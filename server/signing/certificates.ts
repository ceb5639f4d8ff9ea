/**
 * Reading and checking certificates. The rules are those of a signature under Nghị định 130/2018/NĐ-CP (Điều 9)
 * and the Luật Giao dịch điện tử 2023: the certificate was valid when signing, issued for signing (keyUsage
 * digitalSignature + nonRepudiation), chains to a trusted authority, is not revoked, and belongs to the signer.
 */
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { remember } from '../core/memo';
import { certificateDer, derToPem, parseCertificate, sha256 } from './der';
import type { CertificateInfo, CertificateRefusal } from './types';

const OID = { CN: '2.5.4.3', serialNumber: '2.5.4.5', O: '2.5.4.10', UID: '0.9.2342.19200300.100.1.1', keyUsage: '2.5.29.15', basicConstraints: '2.5.29.19' };

/** Verification reads the same few certificates over and over (a school has tens of signers). */
const described = new Map<string, CertificateInfo>();
const x509s = new Map<string, crypto.X509Certificate>();

const x509 = (pem: string) => remember(x509s, pem, () => new crypto.X509Certificate(pem));

/** A certificate parsed once (cached by its PEM): verifying a school's documents meets the same few again and again. */
export const parsedCertificate = x509;

export function describeCertificate(pem: string): CertificateInfo {
  const info = remember(described, pem, () => describeUncached(pem));
  return { ...info, keyUsage: { ...info.keyUsage } };
}

function describeUncached(pem: string): CertificateInfo {
  const der = certificateDer(pem);
  const cert = parseCertificate(pem);
  const ku = keyUsage(cert);
  return {
    pem: derToPem(der),
    commonName: attribute(cert.subject, OID.CN) ?? '',
    subjectSerial: attribute(cert.subject, OID.serialNumber),
    subjectUid: attribute(cert.subject, OID.UID),
    organization: attribute(cert.subject, OID.O),
    issuerCommonName: attribute(cert.issuer, OID.CN) ?? '',
    serialHex: Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex'),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    sha256: sha256(der).toString('hex'),
    keyUsage: { digitalSignature: ku.has(0), nonRepudiation: ku.has(1), keyCertSign: ku.has(5) },
    isCa: isCa(cert),
  };
}

function attribute(name: pkijs.RelativeDistinguishedNames, oid: string): string | null {
  const tv = name.typesAndValues.find((t) => t.type === oid);
  if (!tv) return null;
  const v = tv.value as unknown as { valueBlock: { value: unknown } };
  return typeof v.valueBlock?.value === 'string' ? v.valueBlock.value.normalize('NFC') : null;
}

/** The set bits of the keyUsage extension (empty when absent). */
function keyUsage(cert: pkijs.Certificate): Set<number> {
  const ext = cert.extensions?.find((e) => e.extnID === OID.keyUsage);
  const bits = new Set<number>();
  if (!ext) return bits;
  const parsed = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView.slice().buffer);
  const bs = parsed.result as asn1js.BitString;
  const bytes = bs.valueBlock.valueHexView;
  bytes.forEach((byte, i) => {
    for (let b = 0; b < 8; b++) if (byte & (0x80 >> b)) bits.add(i * 8 + b);
  });
  return bits;
}

function isCa(cert: pkijs.Certificate): boolean {
  const ext = cert.extensions?.find((e) => e.extnID === OID.basicConstraints);
  return Boolean(ext && (ext.parsedValue as { cA?: boolean } | undefined)?.cA);
}

export type CertificateOwner = { kind: 'person'; fullName: string; nationalId: string | null } | { kind: 'school'; schoolCode: string };

export interface CertificateCheck {
  trustAnchors: string[];
  chainPems?: string[];
  at: Date;
  owner?: CertificateOwner;
  revokedSha256?: string[];
}

/** Why this certificate may not sign (or have signed) at `at` for this owner; null when it may. */
export function checkCertificate(pem: string, check: CertificateCheck & { owner: CertificateOwner }): CertificateRefusal | null {
  return certificateProblem(pem, check);
}

/** checkCertificate with the owner optional (verification knows no expected owner). */
export function certificateProblem(pem: string, check: CertificateCheck): CertificateRefusal | null {
  const info = describeCertificate(pem);
  const at = check.at.getTime();
  if (at < Date.parse(info.notBefore)) return 'certificate.notYetValid';
  if (at > Date.parse(info.notAfter)) return 'certificate.expired';
  if (!info.keyUsage.digitalSignature || !info.keyUsage.nonRepudiation) return 'certificate.keyUsage';
  if (!chainsToAnchor(pem, check.chainPems ?? [], check.trustAnchors, check.at)) return 'certificate.untrusted';
  if (check.revokedSha256?.map((h) => h.toLowerCase()).includes(info.sha256)) return 'certificate.revoked';
  if (check.owner && !ownedBy(info, check.owner)) return 'certificate.notOwner';
  return null;
}

/**
 * Walks issuer links (name match + signature verification) from the certificate through the given chain to one
 * of the trust anchors. Intermediates must be CAs valid at `at`.
 */
export function chainsToAnchor(pem: string, chainPems: string[], anchors: string[], at: Date): boolean {
  const anchorCerts = anchors.map(x509);
  const intermediates = chainPems.map(x509);
  let current = x509(pem);
  for (let depth = 0; depth < 6; depth++) {
    if (anchorCerts.some((a) => a.raw.equals(current.raw))) return true;
    const anchor = anchorCerts.find((a) => issuedBy(current, a));
    if (anchor) return true;
    const next = intermediates.find((c) => c.ca && !c.raw.equals(current.raw) && issuedBy(current, c) && validAt(c, at));
    if (!next) return false;
    current = next;
  }
  return false;
}

/** Answers per pair of (cached, so identical) certificate objects: a school's documents ask the same few again and again. */
const issuedAnswers = new WeakMap<crypto.X509Certificate, WeakMap<crypto.X509Certificate, boolean>>();

function issuedBy(cert: crypto.X509Certificate, issuer: crypto.X509Certificate): boolean {
  let byIssuer = issuedAnswers.get(cert);
  if (!byIssuer) issuedAnswers.set(cert, (byIssuer = new WeakMap()));
  let answer = byIssuer.get(issuer);
  if (answer === undefined) {
    try {
      answer = cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
    } catch {
      answer = false;
    }
    byIssuer.set(issuer, answer);
  }
  return answer;
}

const validAt = (c: crypto.X509Certificate, at: Date) => Date.parse(c.validFrom) <= at.getTime() && at.getTime() <= Date.parse(c.validTo);

const fold = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleUpperCase('vi');

/**
 * The person's 12-digit national id (CCCD) in serialNumber or UID, as Vietnamese CAs write it (`CCCD:…`, older
 * `CMND:…`); a person with no id on file is matched by the full name in the CN. The school by its tax code `MST:…`.
 */
function ownedBy(info: CertificateInfo, owner: CertificateOwner): boolean {
  const ids = [info.subjectSerial, info.subjectUid ?? null].filter((v): v is string => Boolean(v));
  if (owner.kind === 'school') return ids.some((v) => v.replace(/\s/g, '').toUpperCase() === `MST:${owner.schoolCode}`.toUpperCase());
  if (owner.nationalId) return ids.some((v) => /^(CCCD|CMND|CAN CUOC|PID):?/i.test(v) && v.replace(/^[^:]*:/, '').trim() === owner.nationalId);
  return fold(info.commonName) === fold(owner.fullName);
}
