/**
 * The signing toolkit's contract (issue 10): certificates, the software keystore, XAdES baseline-B on the XML,
 * PAdES baseline-B on the PDF, and verification. Signing is two-phase everywhere: `prepare*` returns what a key
 * holder must sign (the SHA-256 digest and the bytes), the key holder returns a signature value, `assemble*`
 * puts it in place. The software keystore is one key holder; a USB-token plugin or a remote service is another.
 */

/** A certificate as the server keeps it: PEM plus what the checks and the screens need. */
export interface CertificateInfo {
  pem: string;
  /** Subject common name (the person's or the school's name, NFC). */
  commonName: string;
  /** Subject serialNumber attribute: `CCCD:<12-digit national id>` for a person, `MST:<code>` for the school. */
  subjectSerial: string | null;
  /** Subject UID attribute (0.9.2342.19200300.100.1.1): several Vietnamese CAs put `CCCD:…` / `MST:…` there instead. */
  subjectUid?: string | null;
  organization: string | null;
  issuerCommonName: string;
  serialHex: string;
  notBefore: string; // ISO instant
  notAfter: string; // ISO instant
  sha256: string; // hex fingerprint of the DER
  keyUsage: { digitalSignature: boolean; nonRepudiation: boolean; keyCertSign: boolean };
  isCa: boolean;
}

export type KeyAlgorithm = 'RSA-2048' | 'ECDSA-P256';

/** What a key holder signs: the to-be-signed bytes and their SHA-256 digest (a token signs the digest). */
export interface ToBeSigned {
  algorithm: KeyAlgorithm;
  /** The exact bytes whose signature is wanted (canonical SignedInfo, or the DER of the CMS signed attributes). */
  bytes: Buffer;
  digestSha256: Buffer;
  /**
   * How an ECDSA value must be encoded: XMLDSig wants raw r||s (`ieee-p1363`), CMS wants DER. Absent means DER.
   * Irrelevant for RSA.
   */
  ecdsaEncoding?: 'ieee-p1363' | 'der';
}

/** Why a certificate may not sign now; null when it may. Keys index the i18n messages. */
export type CertificateRefusal =
  | 'certificate.notYetValid'
  | 'certificate.expired'
  | 'certificate.keyUsage'
  | 'certificate.untrusted'
  | 'certificate.notOwner'
  | 'certificate.revoked';

/** One XML signature to add: which elements (by Id) it covers and who signs. */
export interface XmlSignatureRequest {
  /** The Id the ds:Signature element gets (unique in the document), e.g. `sig-gvbm-2025-2026-TOAN`. */
  signatureId: string;
  /** Ids of the covered elements; `''` (the empty string) means the whole document (enveloped; the seal). */
  references: string[];
  certificatePem: string;
  /** The signer's chain up to (not including) the trust anchor, for KeyInfo. */
  chainPems?: string[];
  signingTime: string; // ISO instant, written as xades:SigningTime
  /** Where the ds:Signature goes: the local name of the container element (side by side with the others). */
  containerLocalName: string;
}

export interface PreparedXmlSignature {
  /** The document with the new ds:Signature in place and an empty SignatureValue. */
  preparedXml: string;
  signatureId: string;
  toBeSigned: ToBeSigned;
}

/** A signature as found by verification: what the portal's verification page shows per signature. */
export interface SignatureReport {
  signatureId: string | null;
  signer: CertificateInfo | null;
  signingTime: string | null;
  /** Ids covered (`''` for the whole document). */
  covers: string[];
  /** The certificate chains to a configured trust anchor. */
  chainTrusted: boolean;
  /** Digests and the signature value check out. */
  intact: boolean;
  /** intact && chainTrusted && the certificate was valid at signingTime with the right key usage. */
  valid: boolean;
  /** In words for the screen (Vietnamese), e.g. "Giá trị băm của #bd-2025-2026-TOAN không khớp". */
  problems: string[];
}

export interface PdfVerification {
  signatures: SignatureReport[];
  /** The last signature's byte range covers the whole file. */
  coversWholeFile: boolean;
  /** The signed XML attached inside the PDF (PDF/A-3 associated file), if any. */
  attachedXml: string | null;
}

/**
 * Between preparePdfSignature and assemblePdfSignature: everything needed to finish the PDF, JSON-serialisable
 * (base64 and numbers) so it can wait in the database while an external key holder signs.
 */
export interface PdfSignatureState {
  /** The PDF with the signature dictionary, its ByteRange filled and /Contents still zeros. */
  preparedPdfBase64: string;
  byteRange: [number, number, number, number];
  /** Hex digits available inside /Contents <…>. */
  contentsHexLength: number;
  /** DER of the CMS signed attributes (the SET OF), exactly what was signed. */
  signedAttributesBase64: string;
  certificatePem: string;
  chainPems: string[];
  algorithm: KeyAlgorithm;
}
