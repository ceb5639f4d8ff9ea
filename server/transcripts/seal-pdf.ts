import type { TranscriptContent } from '../../domain/transcript/types';
import { assemblePdfSignature, prepareReservedPdfSignature } from '../signing/pades';
import type { ToBeSigned } from '../signing/types';

/**
 * The sealed PDF of a transcript (hoc-ba-so.md: XML and PDF, the same legal value): drawn with the signed XML attached
 * and the seal's PAdES signature reserved in it, then signed by `sign` (the seal's key holder) and assembled.
 * One place for both seal paths: a batch on the pool's workers (work.ts) and a single document (sign.ts).
 */
export async function sealedPdf(
  content: TranscriptContent,
  signedXml: string,
  verifyUrl: string,
  seal: { certificatePem: string; chainPems: string[]; signingTime: Date },
  sign: (tbs: ToBeSigned) => Buffer,
): Promise<Buffer> {
  // Loaded on first use: pdfkit and the fonts are only needed where transcripts are sealed or printed.
  const { renderTranscriptPdf } = await import('./pdf');
  const pdf = await renderTranscriptPdf(content, {
    signedXml,
    verifyUrl,
    signatureField: {
      signerName: content.school.name,
      reason: `Đóng dấu học bạ số ${content.transcriptUid} phiên bản ${content.version}`,
      location: content.placeOfIssue ?? content.school.name,
      signingTime: seal.signingTime,
    },
  });
  const prepared = prepareReservedPdfSignature(pdf, seal);
  return assemblePdfSignature(prepared.state, sign(prepared.toBeSigned));
}
