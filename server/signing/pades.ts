/**
 * PAdES baseline-B (ETSI EN 319 142-1) on the transcript PDF, two-phase. `prepare` adds the signature field and
 * dictionary (Filter Adobe.PPKLite, SubFilter ETSI.CAdES.detached, /M the signing time) with @signpdf's
 * placeholder, fixes the ByteRange and returns the CMS signed attributes to sign; `assemble` checks the value,
 * builds the CMS SignedData and writes it into /Contents.
 *
 * A PDF we draw ourselves gets the same dictionary while it is drawn (`signatureDictionary`, written by pdfkit in
 * the document's only revision), and `prepareReservedPdfSignature` goes on from there: no incremental update, and
 * no second reading of the whole file, which @signpdf's placeholder does as text (≈ 2.5 ms of every transcript).
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

/** What the signature dictionary says besides the signature itself (informational: the signer is the certificate). */
export type PdfSignatureInfo = Pick<PdfSignatureOptions, 'signerName' | 'reason' | 'location' | 'signingTime'>;
export type PreparedPdfSignature = { preparedPdf: Buffer; toBeSigned: ToBeSigned; state: PdfSignatureState };

/** Placeholder of the ByteRange's three numbers, as @signpdf writes it: ten characters each, as a PDF name. */
const RANGE_PLACEHOLDER = '**********';

/**
 * The signature dictionary for a document being drawn with pdfkit: the same entries @signpdf's placeholder writes
 * (pdfkit writes a JS string as a name, a String object as a text string — UTF-16 when it is not ASCII, so the
 * school's name keeps its diacritics —, a Buffer as the hex string reserved for the CMS).
 */
export function signatureDictionary(info: PdfSignatureInfo): Record<string, unknown> {
  const text = (s: string) => new String(s.normalize('NFC')); // eslint-disable-line no-new-wrappers
  return {
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: SUBFILTER_ETSI_CADES_DETACHED,
    ByteRange: [0, RANGE_PLACEHOLDER, RANGE_PLACEHOLDER, RANGE_PLACEHOLDER],
    Contents: Buffer.alloc(CMS_RESERVED_BYTES),
    Reason: text(info.reason),
    M: info.signingTime,
    ContactInfo: text(''),
    Name: text(info.signerName),
    Location: text(info.location),
    Prop_Build: { Filter: { Name: 'Adobe.PPKLite' } },
  };
}

/** prepare for a PDF that already holds one reserved signature dictionary (`signatureDictionary`). */
export function prepareReservedPdfSignature(pdf: Buffer, key: Pick<PdfSignatureOptions, 'certificatePem' | 'chainPems'>): PreparedPdfSignature {
  const { preparedPdf, byteRange, contentsHexLength } = fixByteRange(pdf);
  const digest = sha256(Buffer.concat([preparedPdf.subarray(0, byteRange[1]), preparedPdf.subarray(byteRange[2], byteRange[2] + byteRange[3])]));
  const attrs = signedAttributesDer(digest, key.certificatePem);
  const algorithm = keyAlgorithmOf(parsedCertificate(key.certificatePem).publicKey);
  const state: PdfSignatureState = {
    preparedPdfBase64: preparedPdf.toString('base64'),
    byteRange,
    contentsHexLength,
    signedAttributesBase64: attrs.toString('base64'),
    certificatePem: key.certificatePem,
    chainPems: key.chainPems,
    algorithm,
  };
  return { preparedPdf, toBeSigned: { algorithm, bytes: attrs, digestSha256: sha256(attrs), ecdsaEncoding: 'der' }, state };
}

/** prepare for any PDF: the signature field added as an incremental update (@signpdf's placeholder), then as above. */
export function preparePdfSignature(pdf: Buffer, opts: PdfSignatureOptions): PreparedPdfSignature {
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
  return prepareReservedPdfSignature(withPlaceholder, opts);
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

const PLACEHOLDER_RANGE = `/ByteRange [0 /${RANGE_PLACEHOLDER} /${RANGE_PLACEHOLDER} /${RANGE_PLACEHOLDER}]`;

/**
 * Writes the real ByteRange over the placeholder: everything but the /Contents hex string (brackets included).
 * Searched in the bytes: the PDF is never decoded as text.
 */
function fixByteRange(pdf: Buffer): { preparedPdf: Buffer; byteRange: [number, number, number, number]; contentsHexLength: number } {
  const at = pdf.indexOf(PLACEHOLDER_RANGE, 0, 'latin1');
  if (at < 0 || pdf.indexOf(PLACEHOLDER_RANGE, at + 1, 'latin1') >= 0) throw new AppError('invalid', 'signing.pdfPlaceholder', { detail: 'ByteRange' });
  const contents = pdf.indexOf('/Contents ', at, 'latin1');
  const open = contents < 0 ? -1 : pdf.indexOf('<', contents, 'latin1');
  const close = open < 0 ? -1 : pdf.indexOf('>', open, 'latin1');
  if (close < 0) throw new AppError('invalid', 'signing.pdfPlaceholder', { detail: 'Contents' });
  const byteRange: [number, number, number, number] = [0, open, close + 1, pdf.length - (close + 1)];
  let written = `/ByteRange [${byteRange.join(' ')}]`;
  if (written.length > PLACEHOLDER_RANGE.length) throw new AppError('invalid', 'signing.pdfPlaceholder', { detail: 'ByteRange too long' });
  written += ' '.repeat(PLACEHOLDER_RANGE.length - written.length);
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
