/** PEM/DER plumbing shared by the signing toolkit. */
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { AppError } from '../core/errors';
import { remember } from '../core/memo';

export function pemToDer(pem: string): Buffer {
  const body = pem.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}

export function derToPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** Every PEM block of a bundle, in order. */
export function splitPems(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((p) => `${p}\n`) ?? [];
}

/** Accepts a PEM certificate or a base64/DER one; refuses anything else. */
export function certificateDer(pemOrBase64: string): Buffer {
  const der = pemToDer(pemOrBase64);
  if (der.length < 32 || der[0] !== 0x30) throw new AppError('invalid', 'certificate.malformed');
  return der;
}

/**
 * Parsed once per PEM: sealing a school's transcripts builds two CMS structures per document around the same
 * seal certificate, and parsing it with pkijs each time cost ~1 ms a document. Callers only read the result.
 */
const parsed = new Map<string, pkijs.Certificate>();

export function parseCertificate(pem: string): pkijs.Certificate {
  return remember(parsed, pem, () => {
    const der = certificateDer(pem);
    try {
      return pkijs.Certificate.fromBER(toArrayBuffer(der));
    } catch {
      throw new AppError('invalid', 'certificate.malformed');
    }
  }, 256);
}

/**
 * SHA-256. crypto.hash (Node ≥ 20.12) creates no Hash object: in a signing batch the short-lived native Hash
 * objects made young-generation garbage collections an order of magnitude slower.
 */
export const sha256 = (data: string | Buffer): Buffer =>
  typeof crypto.hash === 'function' ? (crypto.hash('sha256', data, 'buffer') as unknown as Buffer) : crypto.createHash('sha256').update(data).digest();

export function toArrayBuffer(buf: Uint8Array): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

export function fromBer(buf: Uint8Array): asn1js.AsnType {
  const parsed = asn1js.fromBER(toArrayBuffer(buf));
  if (parsed.offset === -1) throw new Error('bad DER');
  return parsed.result;
}

/**
 * IssuerSerial (RFC 5035) of a certificate, DER: SEQUENCE { GeneralNames { [4] issuer Name }, serialNumber }.
 * XAdES IssuerSerialV2 carries it base64; the CAdES ESSCertIDv2 carries it inline.
 */
export function issuerSerial(cert: pkijs.Certificate): pkijs.IssuerSerial {
  return new pkijs.IssuerSerial({
    issuer: new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: cert.issuer })] }),
    serialNumber: cert.serialNumber,
  });
}
