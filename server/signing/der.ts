/** PEM/DER plumbing shared by the signing toolkit. */
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { AppError } from '../core/errors';

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

export function parseCertificate(pem: string): pkijs.Certificate {
  const der = certificateDer(pem);
  try {
    return pkijs.Certificate.fromBER(toArrayBuffer(der));
  } catch {
    throw new AppError('invalid', 'certificate.malformed');
  }
}

export const sha256 = (data: crypto.BinaryLike): Buffer => crypto.createHash('sha256').update(data).digest();

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
