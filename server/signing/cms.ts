/**
 * CMS SignedData for PAdES baseline-B (ETSI EN 319 142-1 §6.3, CAdES EN 319 122-1): detached, signed attributes
 * content-type, message-digest and signing-certificate-v2 (ESSCertIDv2, SHA-256, with issuerSerial). No
 * signing-time attribute: in PAdES the time is the signature dictionary's /M.
 */
import * as asn1js from 'asn1js';
import { issuerSerial, parseCertificate, pemToDer, sha256, toArrayBuffer } from './der';
import type { KeyAlgorithm } from './types';

export const CMS_OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
};

function attribute(type: string, value: asn1js.AsnType): asn1js.Sequence {
  return new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), new asn1js.Set({ value: [value] })] });
}

/** DER of the signed attributes as a SET OF (what is signed), sorted as DER requires. */
export function signedAttributesDer(contentDigest: Buffer, certificatePem: string): Buffer {
  const cert = parseCertificate(certificatePem);
  // ESSCertIDv2: hashAlgorithm left out because it is the DEFAULT (sha256) and DER omits defaults.
  const essCertIdV2 = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: toArrayBuffer(sha256(pemToDer(certificatePem))) }), issuerSerial(cert).toSchema()],
  });
  const signingCertificateV2 = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
  const attrs = [
    attribute(CMS_OID.contentType, new asn1js.ObjectIdentifier({ value: CMS_OID.data })),
    attribute(CMS_OID.messageDigest, new asn1js.OctetString({ valueHex: toArrayBuffer(contentDigest) })),
    attribute(CMS_OID.signingCertificateV2, signingCertificateV2),
  ].map((a) => Buffer.from(a.toBER(false)));
  attrs.sort(Buffer.compare);
  const body = Buffer.concat(attrs);
  return Buffer.concat([Buffer.from([0x31]), derLength(body.length), body]);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** The ContentInfo DER: SignedData with the signer's and chain certificates and one SignerInfo. */
export function buildSignedData(signedAttrs: Buffer, signature: Buffer, certificatePem: string, chainPems: string[], algorithm: KeyAlgorithm): Buffer {
  const cert = parseCertificate(certificatePem);
  // The signed attributes go in as [0] IMPLICIT: same content bytes, context tag instead of SET.
  const implicitAttrs = Buffer.from(signedAttrs);
  implicitAttrs[0] = 0xa0;
  const signerInfo = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 1 }),
      new asn1js.Sequence({ value: [cert.issuer.toSchema(), cert.serialNumber] }),
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: CMS_OID.sha256 })] }),
      asn1js.fromBER(toArrayBuffer(implicitAttrs)).result,
      algorithm === 'ECDSA-P256'
        ? new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: CMS_OID.ecdsaWithSHA256 })] })
        : new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: CMS_OID.sha256WithRSA }), new asn1js.Null()] }),
      new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
    ],
  });
  const certificates = [certificatePem, ...chainPems].map((p) => parseCertificate(p).toSchema());
  const signedData = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 1 }),
      new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: CMS_OID.sha256 })] })] }),
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: CMS_OID.data })] }),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: certificates }),
      new asn1js.Set({ value: [signerInfo] }),
    ],
  });
  const contentInfo = new asn1js.Sequence({
    value: [new asn1js.ObjectIdentifier({ value: CMS_OID.signedData }), new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [signedData] })],
  });
  return Buffer.from(contentInfo.toBER(false));
}
