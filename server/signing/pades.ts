/**
 * PAdES baseline-B (ETSI EN 319 142-1) on the transcript PDF, two-phase. `prepare` adds the signature field and
 * dictionary (Filter Adobe.PPKLite, SubFilter ETSI.CAdES.detached, /M the signing time) with @signpdf's
 * placeholder, fixes the ByteRange and returns the CMS signed attributes to sign; `assemble` checks the value,
 * builds the CMS SignedData and writes it into /Contents.
 */
import { parsedCertificate } from './certificates';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { AppError } from '../core/errors';
import { buildSignedData, signedAttributesDer } from './cms';
import { sha256 } from './der';
import { keyAlgorithmOf, verifyToBeSigned } from './key-holder';
import type { PdfSignatureState, ToBeSigned } from './types';

/** Bytes reserved for the CMS: signer + two chain certificates (~1.5 KB each) and room to spare. */
const CMS_RESERVED_BYTES = 12_000;

export interface PdfSignatureOptions {
  certificatePem: string;
  chainPems: string[];
  signerName: string;
  reason: string;
  location: string;
  signingTime: Date;
}

export function preparePdfSignature(pdf: Buffer, opts: PdfSignatureOptions): { preparedPdf: Buffer; toBeSigned: ToBeSigned; state: PdfSignatureState } {
  let withPlaceholder: Buffer;
  try {
    withPlaceholder = plainAddPlaceholder({
      pdfBuffer: pdf,
      reason: pdfText(opts.reason),
      contactInfo: '',
      name: pdfText(opts.signerName),
      location: pdfText(opts.location),
      signingTime: opts.signingTime,
      signatureLength: CMS_RESERVED_BYTES,
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    });
  } catch (e) {
    throw new AppError('invalid', 'signing.pdfPlaceholder', { detail: (e as Error).message });
  }
  const { preparedPdf, byteRange, contentsHexLength } = fixByteRange(withPlaceholder);
  const digest = sha256(Buffer.concat([preparedPdf.subarray(0, byteRange[1]), preparedPdf.subarray(byteRange[2], byteRange[2] + byteRange[3])]));
  const attrs = signedAttributesDer(digest, opts.certificatePem);
  const algorithm = keyAlgorithmOf(parsedCertificate(opts.certificatePem).publicKey);
  const state: PdfSignatureState = {
    preparedPdfBase64: preparedPdf.toString('base64'),
    byteRange,
    contentsHexLength,
    signedAttributesBase64: attrs.toString('base64'),
    certificatePem: opts.certificatePem,
    chainPems: opts.chainPems,
    algorithm,
  };
  return { preparedPdf, toBeSigned: { algorithm, bytes: attrs, digestSha256: sha256(attrs), ecdsaEncoding: 'der' }, state };
}

/**
 * The placeholder library writes non-ASCII dictionary strings as UTF-8 bytes of a UTF-16 string, which viewers show
 * garbled; these fields are informational (the signer is the certificate), so they are written without diacritics.
 */
export function pdfText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '?');
}

const PLACEHOLDER_RANGE = /\/ByteRange \[0 \/\*{10} \/\*{10} \/\*{10}\]/g;

/** Writes the real ByteRange over the placeholder: everything but the /Contents hex string (brackets included). */
function fixByteRange(pdf: Buffer): { preparedPdf: Buffer; byteRange: [number, number, number, number]; contentsHexLength: number } {
  const text = pdf.toString('latin1');
  const matches = [...text.matchAll(PLACEHOLDER_RANGE)];
  if (matches.length !== 1) throw new AppError('invalid', 'signing.pdfPlaceholder', { detail: 'ByteRange' });
  const at = matches[0].index!;
  const placeholder = matches[0][0];
  const open = text.indexOf('<', text.indexOf('/Contents ', at));
  const close = text.indexOf('>', open);
  const byteRange: [number, number, number, number] = [0, open, close + 1, pdf.length - (close + 1)];
  let written = `/ByteRange [${byteRange.join(' ')}]`;
  if (written.length > placeholder.length) throw new AppError('invalid', 'signing.pdfPlaceholder', { detail: 'ByteRange too long' });
  written += ' '.repeat(placeholder.length - written.length);
  const preparedPdf = Buffer.from(pdf);
  preparedPdf.write(written, at, 'latin1');
  return { preparedPdf, byteRange, contentsHexLength: close - open - 1 };
}

export function assemblePdfSignature(state: PdfSignatureState, signatureValue: Buffer): Buffer {
  const attrs = Buffer.from(state.signedAttributesBase64, 'base64');
  const publicKey = parsedCertificate(state.certificatePem).publicKey;
  if (!verifyToBeSigned(publicKey, { bytes: attrs, ecdsaEncoding: 'der' }, signatureValue)) {
    throw new AppError('invalid', 'signing.badSignatureValue', { signatureId: 'PDF' });
  }
  const cms = buildSignedData(attrs, signatureValue, state.certificatePem, state.chainPems, state.algorithm);
  const hex = cms.toString('hex');
  if (hex.length > state.contentsHexLength) throw new AppError('invalid', 'signing.pdfPlaceholder', { detail: 'CMS too large' });
  const pdf = Buffer.from(state.preparedPdfBase64, 'base64');
  pdf.write(hex.padEnd(state.contentsHexLength, '0'), state.byteRange[1] + 1, 'latin1');
  return pdf;
}
