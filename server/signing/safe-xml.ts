/**
 * The one way untrusted XML (an uploaded transcript to verify, a document coming back from a key holder) is read.
 * A transcript never needs a DTD, so any DOCTYPE or ENTITY declaration is refused outright before parsing: that
 * shuts out XXE (external entities reading files or URLs), entity expansion bombs ("billion laughs") and external
 * DTD fetches, whatever the parser would do with them.
 */
import { DOMParser } from '@xmldom/xmldom';
import { AppError } from '../core/errors';

export const DEFAULT_MAX_XML_BYTES = 5_000_000;

const DECLARATION = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

export function parseUntrustedXml(text: string, maxBytes = DEFAULT_MAX_XML_BYTES): Document {
  if (text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new AppError('too_large', 'xml.tooLarge', { max: `${Math.round(maxBytes / 1_000_000)} MB` });
  }
  if (DECLARATION.test(text)) throw new AppError('invalid', 'xml.hostile');
  const doc = parseXml(text);
  // Belt and braces: the parser saw no doctype either.
  if ((doc as unknown as { doctype: unknown }).doctype) throw new AppError('invalid', 'xml.hostile');
  return doc;
}

/** Parses XML the server produced itself (no size or declaration policy), failing on any well-formedness error. */
export function parseXml(text: string): Document {
  const errors: string[] = [];
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level: string, message: string) => {
        if (level !== 'warning') errors.push(message);
      },
    }).parseFromString(text, 'application/xml') as unknown as Document;
  } catch (e) {
    throw malformed((e as Error).message);
  }
  if (errors.length > 0 || !doc.documentElement) throw malformed(errors[0] ?? 'no root element');
  return doc;
}

function malformed(detail: string): AppError {
  return new AppError('invalid', 'xml.malformed', { detail: detail.split('\n')[0].slice(0, 200) });
}
