import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { TranscriptContent } from '../../domain/transcript/types';
import { remember } from '../core/memo';
import { type PdfSignatureInfo, signatureDictionary } from '../signing/pades';
import { BOLD, type Doc, M, nfc, REGULAR } from './pdf-draw';
import { cover, footers, identityPage, resultsPage, summaryPage } from './pdf-pages';

/**
 * The transcript as the THCS paper form of the TT22 era (../shared/domain/hoc-ba-so.md): a cover, the identity
 * page with the school history, and per school year a results page and a summary page. PDF/A-3b with the signed
 * XML attached as its source (AFRelationship Source), so the printout and the XML travel together; every page
 * shows the verification code, the identity page a QR code to the public lookup.
 *
 * Deterministic: the same content and XML give the same bytes (dates come from the content, not the clock), so
 * the sealed PDF can be re-rendered and compared. All text is NFC and set in DejaVu Sans, embedded (PDF/A forbids
 * the non-embedded standard fonts, which cannot show Vietnamese anyway).
 */

const require = createRequire(import.meta.url);
/**
 * The fonts are parsed once per process and the parsed fonts handed to every document (pdfkit accepts a fontkit
 * font object): parsing DejaVu's tables anew for each transcript was most of the render time. fontkit is taken from
 * pdfkit's own dependency, so it is always the version pdfkit expects. Each document still makes its own subset.
 */
interface FontkitFont {
  characterSet: number[];
  glyphsForString(s: string): unknown[];
}
const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as { create(data: Uint8Array): FontkitFont };
const FONT = loadFont('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = loadFont('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/**
 * fontkit keeps one glyph object per glyph id and its code points are those of the first lookup. A glyph first met
 * as a component of an accented letter (during a subset's encoding) has none, and the next document's ToUnicode
 * would then lose that letter (pdftotext showed "TH HỒI" for "THU HỒI"). Looking every character up once, before
 * any document, gives each glyph its character for the life of the process.
 */
function loadFont(file: string): FontkitFont {
  const font = fontkit.create(fs.readFileSync(require.resolve(file)));
  const chars = font.characterSet.filter((cp) => cp < 0x3000);
  for (let i = 0; i < chars.length; i += 512) font.glyphsForString(String.fromCodePoint(...chars.slice(i, i + 512)));
  return font;
}
export interface PdfOptions {
  /** The sealed XML: attached byte for byte as the PDF's source document. */
  signedXml: string;
  /** The public lookup reached by the QR code (…/#/tra-cuu/<code>). */
  verifyUrl: string;
  /** Reserve the seal's PAdES signature in the document as it is drawn (pades.ts prepareReservedPdfSignature). */
  signatureField?: PdfSignatureInfo;
}

export async function renderTranscriptPdf(content: TranscriptContent, opts: PdfOptions): Promise<Buffer> {
  const issued = new Date(content.issuedAt);
  const name = nfc(content.identity.fullName);
  const doc = new PDFDocument({
    size: 'A4',
    margins: M,
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    compress: true,
    bufferPages: true,
    autoFirstPage: false,
    // No default font ('' is falsy to pdfkit): it would parse Helvetica's metrics for every document, and PDF/A
    // cannot use Helvetica anyway. DejaVu is registered and set below before anything is drawn.
    font: '',
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: metaText(`Học bạ số – ${name}`),
      Author: metaText(content.school.name),
      Subject: metaText(`Học bạ trung học cơ sở – ${content.transcriptUid} – phiên bản ${content.version}`),
      Creator: 'Học bạ số',
      Producer: 'Học bạ số (pdfkit)',
      // No ModDate: pdfkit writes no xmp:ModifyDate, and PDF/A wants the Info dictionary and the XMP to agree.
      CreationDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(REGULAR, FONT as unknown as PDFKit.Mixins.PDFFontSource);
  doc.registerFont(BOLD, FONT_BOLD as unknown as PDFKit.Mixins.PDFFontSource);
  shareLayoutCaches(doc);

  cover(doc, content);
  identityPage(doc, content, opts.verifyUrl);
  for (const y of content.years) {
    resultsPage(doc, content, y);
    summaryPage(doc, content, y);
  }
  footers(doc, content);
  attachXml(doc, content, opts.signedXml, issued);
  if (opts.signatureField) addSignatureField(doc, opts.signatureField);
  doc.end();
  return done;
}

/**
 * pdfkit caches the shaped layout of each word per document; shaping (fontkit's OpenType lookups) is the bulk of
 * the drawing time, and the words of transcripts repeat (labels, subject names, comments). The cache is shared
 * across documents: an entry holds glyph ids and positions only, while each document's subset and widths are
 * still built in its own encode(). Bounded, so a long run cannot grow it without limit.
 */
const layoutCaches: Record<string, { entries: Record<string, unknown>; size: number /* documents served */ }> = {};
const LAYOUT_CACHE_LIMIT = 50_000;
function shareLayoutCaches(doc: Doc): void {
  const families = (doc as unknown as { _fontFamilies: Record<string, { layoutCache?: Record<string, unknown> }> })._fontFamilies;
  for (const name of [REGULAR, BOLD]) {
    doc.font(name);
    const font = families?.[name];
    if (!font || !font.layoutCache) continue; // another pdfkit version: fall back to its own per-document cache
    let shared = layoutCaches[name];
    // Counting keys is cheap next to a render, but needless every time: look every 100 documents.
    if (!shared || (++shared.size % 100 === 0 && Object.keys(shared.entries).length > LAYOUT_CACHE_LIMIT)) shared = layoutCaches[name] = { entries: Object.create(null), size: 0 };
    font.layoutCache = shared.entries;
    presetSubset(font as unknown as EmbeddedFontLike);
  }
}

/**
 * Each document embeds a subset of DejaVu, and encoding it (fontkit reads and rewrites every glyph) was a quarter
 * of the render time. The subset's bytes depend only on the glyphs it holds, in order, so every document's subset
 * starts with the same glyphs (the Vietnamese alphabet, digits and punctuation, in a fixed order): documents that
 * use nothing else — almost all — have identical subsets, encoded once per process. A rarer character is added
 * after the preset as before, and that document's subset is encoded (and cached) as its own. The bytes are exactly
 * what encoding would give, so a document renders the same whether or not it was cached.
 */
interface EmbeddedFontLike {
  font: unknown;
  document: { ref(data?: unknown): StreamRef };
  subset: { glyphs: number[]; encode(): Uint8Array };
  encode(text: string): unknown;
  embed(): void;
}
interface StreamRef {
  compress: boolean;
  data: Record<string, unknown>;
  write(chunk: Uint8Array): void;
  end(chunk?: Uint8Array): void;
  finalize(): void;
}
const PRESET_TEXT = [
  ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~',
  'ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư',
  Array.from({ length: 0x1ef9 - 0x1ea0 + 1 }, (_, i) => String.fromCodePoint(0x1ea0 + i)).join(''),
  '–—‘’“”…•·°×',
].join('');
const encodedSubsets = new WeakMap<object, Map<string, Uint8Array>>();

function presetSubset(font: EmbeddedFontLike): void {
  if (!font.subset || typeof font.subset.encode !== 'function' || typeof font.encode !== 'function') return; // another pdfkit
  font.encode(PRESET_TEXT);
  let cache = encodedSubsets.get(font.font as object);
  if (!cache) encodedSubsets.set(font.font as object, (cache = new Map()));
  const subset = font.subset;
  const encode = subset.encode.bind(subset);
  subset.encode = () => remember(cache, subset.glyphs.join(','), encode, 200);
  deflateOnce(font);
}

/**
 * The font file stream is the first object embed() makes; pdfkit deflates it (zlib defaults) when it is written.
 * A cached subset is the same bytes object every time, so its deflated form is kept beside it and written as is:
 * the same stream, Length and Filter, in the same order, as pdfkit would write.
 */
const deflated = new WeakMap<Uint8Array, Buffer>();
function deflateOnce(font: EmbeddedFontLike): void {
  const embed = font.embed.bind(font);
  font.embed = () => {
    const doc = font.document;
    const ref = doc.ref.bind(doc);
    let first = true;
    doc.ref = (data?: unknown) => {
      const made = ref(data);
      if (!first) return made;
      first = false;
      doc.ref = ref;
      const end = made.end.bind(made);
      made.end = (chunk?: Uint8Array) => {
        if (!chunk || !made.compress) return end(chunk);
        let packed = deflated.get(chunk);
        if (!packed) deflated.set(chunk, (packed = zlib.deflateSync(chunk)));
        endDeflated(made, packed);
      };
      return made;
    };
    try {
      embed();
    } finally {
      doc.ref = ref;
    }
  };
}

/**
 * The signature field, as @signpdf's placeholder adds it to a finished PDF but in the document's own revision: the
 * signature dictionary, an invisible widget on the first page (print flag, empty rectangle) and the AcroForm with
 * SigFlags 3 (signatures exist, append only). The AcroForm is pdfkit's own (initForm), which pdfkit writes at end().
 */
function addSignatureField(doc: Doc, info: PdfSignatureInfo): void {
  interface Ref { data: Record<string, unknown>; end(): void }
  const pdf = doc as unknown as { ref(data: Record<string, unknown>): Ref; _root: { data: { AcroForm: Ref } } };
  doc.switchToPage(0);
  const page = (doc as unknown as { page: { dictionary: Ref; annotations: Ref[] } }).page;
  const signature = pdf.ref(signatureDictionary(info));
  const widget = pdf.ref({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0],
    V: signature,
    T: new String('Signature1'), // eslint-disable-line no-new-wrappers
    F: 4,
    P: page.dictionary,
  });
  page.annotations.push(widget);
  doc.initForm();
  const form = pdf._root.data.AcroForm.data;
  delete form.NeedAppearances; // PDF/A forbids it; a widget without area needs no appearance
  form.SigFlags = 3;
  (form.Fields as Ref[]).push(widget);
  signature.end();
  widget.end();
}

/** XMP is written unescaped by pdfkit: keep markup characters out of the metadata strings. */
function metaText(s: string): string {
  return nfc(s).replace(/[<>&"]/g, ' ');
}

/** Ends a stream with bytes already deflated: the Length and Filter entries pdfkit would write, in its order. */
function endDeflated(ref: StreamRef, packed: Buffer): void {
  ref.compress = false;
  ref.write(packed);
  ref.data.Filter = 'FlateDecode';
  ref.finalize();
}

/**
 * The signed XML as the PDF's associated file (PDF/A-3 AF, relationship Source), written as pdfkit's doc.file()
 * writes it — same objects in the same order — except that the MD5 checksum comes from node's crypto (pdfkit's own
 * JavaScript MD5 cost ~1 ms per transcript) and the stream is deflated faster.
 */
function attachXml(doc: Doc, c: TranscriptContent, xml: string, issued: Date): void {
  const name = `hocba-${c.transcriptUid}-v${c.version}.xml`;
  const data = Buffer.from(xml, 'utf8');
  const pdf = doc as unknown as {
    ref(body: Record<string, unknown>): StreamRef;
    addNamedEmbeddedFile(name: string, ref: unknown): void;
    _root: { data: { AF?: unknown[] } };
  };
  const file = pdf.ref({
    Type: 'EmbeddedFile',
    Params: { CreationDate: issued, ModDate: issued, CheckSum: new String(crypto.createHash('md5').update(data).digest('hex')), Size: data.byteLength },
    Subtype: 'application#2Fxml', // the name /application/xml, escaped as PDF names are
  });
  // Deflated here at level 1 (pdfkit's default is 6): the signed XML is mostly base64 (certificates, values) that
  // no level compresses much, and this stream was a millisecond of every seal.
  endDeflated(file, zlib.deflateSync(data, { level: 1 }));
  const spec = pdf.ref({
    Type: 'Filespec',
    AFRelationship: 'Source',
    F: new String(name),
    EF: { F: file },
    UF: new String(name),
    Desc: new String(nfc('Học bạ số (XML đã ký số) – bản gốc của tài liệu này')),
  });
  spec.end();
  pdf.addNamedEmbeddedFile(name, spec);
  (pdf._root.data.AF ??= []).push(spec);
}
