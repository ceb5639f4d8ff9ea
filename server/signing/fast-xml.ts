/**
 * A single-pass scanner and exclusive canonicaliser (exc-c14n without comments) for the XML the server signs.
 * Signing a transcript batch must not pay for a full DOM parse per document (about 4 ms for 30 KB with xmldom,
 * ten times an RSA signature), so prepareXmlSignatures scans the text once and canonicalises only the covered
 * parts, straight from the text.
 *
 * The scan allocates no object per element: tokens are offsets in one Int32Array (an object per element made V8
 * pretenure them, and a batch then spent most of its time in old-generation garbage collection). Attributes are
 * read again from the text when a covered part is canonicalised; only namespace declarations and Ids are kept.
 *
 * It handles elements, attributes, namespaces, text, the five predefined entities and character references, and
 * comments; for anything else (CDATA, processing instructions, a DOCTYPE, an unknown entity, a tag that does not
 * close, an unbound prefix) it returns null or throws UnsupportedXml, and the caller takes the DOM path, which
 * handles it or reports the error. The output is checked against xml-crypto and xmllint in the tests.
 */

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const START = 0;
const END = 1;
const TEXT = 2;

export class UnsupportedXml extends Error {}

/**
 * Tokens in one Int32Array, STRIDE numbers each: kind (START, END, TEXT); at (START: offset of `<`; END: offset of
 * `</`, or of `/>` for an empty element; TEXT: start offset); mid (START: offset where the name ends; TEXT: end
 * offset; END: token index of its START); tagEnd (START: offset just past the tag); endOf (START: token index of
 * its END); parent (START: token index of the parent, -1 for the root); scope (START: index into scopes).
 */
const STRIDE = 7;

export interface ScannedXml {
  xml: string;
  t: Int32Array;
  count: number;
  scopes: Map<string, string>[];
  /** Id attribute value → token index of its element. */
  ids: Map<string, number>;
  root: number;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
const prefixOf = (name: string) => {
  const c = name.indexOf(':');
  return c < 0 ? '' : name.slice(0, c);
};
const localOf = (name: string) => name.slice(name.indexOf(':') + 1);

/** Scans well-formed XML of the supported subset; null when the input needs the full parser. */
export function scanXml(xml: string): ScannedXml | null {
  // Each `<` makes at most one tag token and one text token before it (plus the end of an empty element).
  let lts = 0;
  for (let i = xml.indexOf('<'); i >= 0; i = xml.indexOf('<', i + 1)) lts++;
  const doc: ScannedXml = { xml, t: new Int32Array((3 * lts + 2) * STRIDE), count: 0, scopes: [new Map([['xml', XML_NS]])], ids: new Map(), root: -1 };
  const stack: number[] = [];
  const len = xml.length;
  let pos = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (xml.startsWith('<?xml', pos)) {
    const end = xml.indexOf('?>', pos);
    if (end < 0) return null;
    pos = end + 2;
  }
  let rootClosed = false;
  while (pos < len) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt < 0 ? len : lt;
    if (textEnd > pos) {
      if (stack.length > 0) push(doc, TEXT, pos, textEnd, 0, 0, 0, 0);
      else if (xml.slice(pos, textEnd).trim() !== '') return null;
    }
    if (lt < 0) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */) {
      if (!xml.startsWith('<!--', lt)) return null;
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) return null;
      pos = end + 3;
      continue;
    }
    if (next === 0x3f /* ? */) return null;
    if (next === 0x2f /* / */) {
      const gt = xml.indexOf('>', lt);
      if (gt < 0 || stack.length === 0) return null;
      const open = stack.pop()!;
      const nameLen = mid(doc, open) - at(doc, open) - 1;
      if (gt - (lt + 2) < nameLen || !xml.startsWith(xml.slice(at(doc, open) + 1, mid(doc, open)), lt + 2) || xml.slice(lt + 2 + nameLen, gt).trim() !== '') return null;
      doc.t[open * STRIDE + 4] = doc.count;
      push(doc, END, lt, open, 0, 0, 0, 0);
      if (stack.length === 0) rootClosed = true;
      pos = gt + 1;
      continue;
    }
    if (rootClosed) return null;
    const parent = stack.length > 0 ? stack[stack.length - 1] : -1;
    const index = doc.count;
    const after = scanStartTag(doc, lt, parent, index);
    if (after < 0) return null;
    if (doc.root < 0) doc.root = index;
    else if (stack.length === 0) return null;
    if (xml.charCodeAt(after - 2) === 0x2f /* empty element */) {
      doc.t[index * STRIDE + 4] = doc.count;
      push(doc, END, after - 2, index, 0, 0, 0, 0);
      if (stack.length === 0) rootClosed = true;
    } else stack.push(index);
    pos = after;
  }
  if (doc.root < 0 || stack.length > 0) return null;
  return doc;
}

function push(doc: ScannedXml, kind: number, at: number, mid: number, tagEnd: number, endOf: number, parent: number, scope: number): void {
  const o = doc.count * STRIDE;
  const t = doc.t;
  t[o] = kind;
  t[o + 1] = at;
  t[o + 2] = mid;
  t[o + 3] = tagEnd;
  t[o + 4] = endOf;
  t[o + 5] = parent;
  t[o + 6] = scope;
  doc.count++;
}

const kindOf = (d: ScannedXml, i: number) => d.t[i * STRIDE];
const at = (d: ScannedXml, i: number) => d.t[i * STRIDE + 1];
const mid = (d: ScannedXml, i: number) => d.t[i * STRIDE + 2];
const tagEndOf = (d: ScannedXml, i: number) => d.t[i * STRIDE + 3];
const endOf = (d: ScannedXml, i: number) => d.t[i * STRIDE + 4];
const parentOf = (d: ScannedXml, i: number) => d.t[i * STRIDE + 5];
const scopeOf = (d: ScannedXml, i: number) => d.t[i * STRIDE + 6];

/** Token index of the parent element, -1 for the root. */
export const parentElement = parentOf;

/** Reads one start tag, keeping only namespace declarations and the Id; returns the offset after it, or -1. */
function scanStartTag(doc: ScannedXml, lt: number, parent: number, index: number): number {
  const xml = doc.xml;
  const len = xml.length;
  let q = lt + 1;
  while (q < len) {
    const c = xml.charCodeAt(q);
    if (isSpace(c) || c === 47 || c === 62) break;
    q++;
  }
  if (q === lt + 1) return -1;
  const nameEnd = q;
  let scopeIndex = parent >= 0 ? scopeOf(doc, parent) : 0;
  let copied = false;
  for (;;) {
    while (q < len && isSpace(xml.charCodeAt(q))) q++;
    const c = xml.charCodeAt(q);
    if (c === 62 /* > */) {
      q++;
      break;
    }
    if (c === 47 /* / */) {
      if (xml.charCodeAt(q + 1) !== 62) return -1;
      q += 2;
      break;
    }
    const nameStart = q;
    while (q < len) {
      const d = xml.charCodeAt(q);
      if (isSpace(d) || d === 61 || d === 62 || d === 47) break;
      q++;
    }
    const attrNameEnd = q;
    if (attrNameEnd === nameStart) return -1;
    while (q < len && isSpace(xml.charCodeAt(q))) q++;
    if (xml.charCodeAt(q) !== 61 /* = */) return -1;
    q++;
    while (q < len && isSpace(xml.charCodeAt(q))) q++;
    const quote = xml.charCodeAt(q);
    if (quote !== 34 && quote !== 39) return -1;
    const vEnd = xml.indexOf(quote === 34 ? '"' : "'", q + 1);
    if (vEnd < 0) return -1;
    const valueStart = q + 1;
    q = vEnd + 1;
    const n = attrNameEnd - nameStart;
    if (n === 2 && xml.charCodeAt(nameStart) === 73 /* I */ && xml.charCodeAt(nameStart + 1) === 100 /* d */) {
      const id = decode(xml.slice(valueStart, vEnd), true);
      if (id === null || doc.ids.has(id)) return -1;
      doc.ids.set(id, index);
    } else if (n >= 5 && xml.startsWith('xmlns', nameStart) && (n === 5 || xml.charCodeAt(nameStart + 5) === 58)) {
      const uri = decode(xml.slice(valueStart, vEnd), true);
      if (uri === null) return -1;
      if (!copied) {
        doc.scopes.push(new Map(doc.scopes[scopeIndex]));
        scopeIndex = doc.scopes.length - 1;
        copied = true;
      }
      doc.scopes[scopeIndex].set(n === 5 ? '' : xml.slice(nameStart + 6, attrNameEnd), uri);
    }
  }
  push(doc, START, lt, nameEnd, q, -1, parent, scopeIndex);
  return q;
}

/** Replaces references; normalises line ends (and, in attributes, whitespace) as an XML parser does. */
function decode(raw: string, attribute: boolean): string | null {
  let s = raw.indexOf('\r') >= 0 ? raw.replace(/\r\n?/g, '\n') : raw;
  if (attribute && (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0)) s = s.replace(/[\t\n]/g, ' ');
  if (s.indexOf('&') < 0) return s;
  let bad = false;
  const out = s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);|&/g, (all, ref: string | undefined) => {
    if (!ref) return ((bad = true), all);
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      try {
        return String.fromCodePoint(code);
      } catch {
        return ((bad = true), all);
      }
    }
    const v = PREDEFINED[ref];
    return v ?? ((bad = true), all);
  });
  return bad ? null : out;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function mustDecode(raw: string, attribute: boolean): string {
  const v = decode(raw, attribute);
  if (v === null) throw new UnsupportedXml('entity reference');
  return v;
}

const escapeText = (s: string) =>
  /[&<>\r]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;') : s;
const escapeAttr = (s: string) =>
  /[&<"\t\n\r]/.test(s)
    ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;')
    : s;

/**
 * Exclusive canonical form (without comments, no InclusiveNamespaces) of the element at token `index`; `skip`, an
 * element inside it, is left out (the enveloped-signature transform).
 */
export function canonicalizeScanned(doc: ScannedXml, index: number, skip = -1): string {
  const out: string[] = [];
  const rendered: Map<string, string>[] = [new Map([['', '']])];
  const last = endOf(doc, index);
  for (let i = index; i <= last; i++) {
    if (i === skip) {
      i = endOf(doc, skip);
      continue;
    }
    const kind = kindOf(doc, i);
    if (kind === TEXT) {
      out.push(escapeText(mustDecode(doc.xml.slice(at(doc, i), mid(doc, i)), false)));
    } else if (kind === END) {
      rendered.pop();
      const open = mid(doc, i);
      out.push('</', doc.xml.slice(at(doc, open) + 1, mid(doc, open)), '>');
    } else {
      out.push(canonicalStartTag(doc, i, rendered));
    }
  }
  return out.join('');
}

interface CanonAttr {
  name: string;
  uri: string;
  local: string;
  value: string;
}

function canonicalStartTag(doc: ScannedXml, i: number, rendered: Map<string, string>[]): string {
  const xml = doc.xml;
  const name = xml.slice(at(doc, i) + 1, mid(doc, i));
  const scope = doc.scopes[scopeOf(doc, i)];
  const outer = rendered[rendered.length - 1];
  let mine: Map<string, string> | null = null;
  const decls: [string, string][] = [];
  // Exclusive c14n renders only the namespaces this element visibly uses, when the output does not have them yet.
  const need = (prefix: string) => {
    if (prefix === 'xml') return;
    const uri = scope.get(prefix);
    if (uri === undefined && prefix !== '') throw new UnsupportedXml(`unbound prefix ${prefix}`);
    const value = uri ?? '';
    if ((mine ?? outer).get(prefix) === value) return;
    if (!mine) mine = new Map(outer);
    mine.set(prefix, value);
    decls.push([prefix, value]);
  };
  need(prefixOf(name));
  const attrs = readAttributes(xml, mid(doc, i), tagEndOf(doc, i));
  for (const a of attrs) {
    const prefix = prefixOf(a.name);
    if (prefix) need(prefix);
    a.uri = prefix === '' ? '' : prefix === 'xml' ? XML_NS : scope.get(prefix)!;
    a.local = prefix ? localOf(a.name) : a.name;
  }
  rendered.push(mine ?? outer);
  decls.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let s = `<${name}`;
  for (const [prefix, uri] of decls) s += prefix === '' ? ` xmlns="${escapeAttr(uri)}"` : ` xmlns:${prefix}="${escapeAttr(uri)}"`;
  // Attributes by namespace URI (none first), then local name.
  if (attrs.length > 1) attrs.sort(compareAttrs);
  for (const a of attrs) s += ` ${a.name}="${escapeAttr(a.value)}"`;
  return `${s}>`;
}

/** The attributes of a start tag (between the name and the tag end), namespace declarations left out. */
function readAttributes(xml: string, from: number, to: number): CanonAttr[] {
  const attrs: CanonAttr[] = [];
  let q = from;
  for (;;) {
    while (q < to && isSpace(xml.charCodeAt(q))) q++;
    const c = xml.charCodeAt(q);
    if (q >= to || c === 62 || c === 47) return attrs;
    const nameStart = q;
    while (q < to) {
      const d = xml.charCodeAt(q);
      if (isSpace(d) || d === 61) break;
      q++;
    }
    const name = xml.slice(nameStart, q);
    q = xml.indexOf('=', q) + 1;
    while (isSpace(xml.charCodeAt(q))) q++;
    const quote = xml.charAt(q);
    const vEnd = xml.indexOf(quote, q + 1);
    const raw = xml.slice(q + 1, vEnd);
    q = vEnd + 1;
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    attrs.push({ name, uri: '', local: name, value: mustDecode(raw, true) });
  }
}

function compareAttrs(a: CanonAttr, b: CanonAttr): number {
  if (a.uri !== b.uri) return a.uri < b.uri ? -1 : 1;
  return a.local < b.local ? -1 : a.local > b.local ? 1 : 0;
}

export interface ScannedElement {
  name: string;
  local: string;
  namespace: string;
  parent: number;
  /** Offset of `</` of the end tag, or of `/>` for an empty element. */
  closeAt: number;
  selfClosing: boolean;
  id: string | null;
}

export function elementAt(doc: ScannedXml, index: number): ScannedElement {
  const name = doc.xml.slice(at(doc, index) + 1, mid(doc, index));
  const closeAt = at(doc, endOf(doc, index));
  let id: string | null = null;
  for (const [k, v] of doc.ids) if (v === index) id = k;
  return {
    name,
    local: localOf(name),
    namespace: doc.scopes[scopeOf(doc, index)].get(prefixOf(name)) ?? '',
    parent: parentOf(doc, index),
    closeAt,
    selfClosing: doc.xml.startsWith('/>', closeAt),
    id,
  };
}

/** Direct element children of the element at `index`. */
export function childElements(doc: ScannedXml, index: number): number[] {
  const out: number[] = [];
  const last = endOf(doc, index);
  for (let i = index + 1; i < last; i++) {
    if (kindOf(doc, i) === START) {
      out.push(i);
      i = endOf(doc, i);
    }
  }
  return out;
}

/** Any SignatureValue (in namespace dsNs) still empty: a signature prepared but not assembled. */
export function hasPendingSignature(doc: ScannedXml, dsNs: string): boolean {
  for (let i = 0; i < doc.count; i++) {
    if (kindOf(doc, i) !== START) continue;
    const name = doc.xml.slice(at(doc, i) + 1, mid(doc, i));
    if (localOf(name) !== 'SignatureValue' || (doc.scopes[scopeOf(doc, i)].get(prefixOf(name)) ?? '') !== dsNs) continue;
    let text = '';
    for (let j = i + 1; j < endOf(doc, i); j++) if (kindOf(doc, j) === TEXT) text += doc.xml.slice(at(doc, j), mid(doc, j));
    if (text.trim() === '') return true;
  }
  return false;
}

/** Element descendants of `index` (itself excluded) in document order, or of the whole document for -1. */
export function descendantElements(doc: ScannedXml, index: number): number[] {
  const out: number[] = [];
  const from = index < 0 ? 0 : index + 1;
  const last = index < 0 ? doc.count : endOf(doc, index);
  for (let i = from; i < last; i++) if (kindOf(doc, i) === START) out.push(i);
  return out;
}

/** An attribute's value as a parser reports it (references replaced), or null when the element has none. */
export function attributeOf(doc: ScannedXml, index: number, name: string): string | null {
  const a = readAttributes(doc.xml, mid(doc, index), tagEndOf(doc, index)).find((x) => x.name === name);
  return a ? a.value : null;
}

/** The text content of the element at `index` (all descendant text, as DOM textContent). */
export function textContentOf(doc: ScannedXml, index: number): string {
  let text = '';
  for (let j = index + 1; j < endOf(doc, index); j++) if (kindOf(doc, j) === TEXT) text += mustDecode(doc.xml.slice(at(doc, j), mid(doc, j)), false);
  return text;
}

/** Whether the element at `index` has this namespace and local name (cheaper than elementAt: no Id lookup). */
export function isElement(doc: ScannedXml, index: number, ns: string, local: string): boolean {
  if (kindOf(doc, index) !== START) return false;
  const name = doc.xml.slice(at(doc, index) + 1, mid(doc, index));
  return localOf(name) === local && (doc.scopes[scopeOf(doc, index)].get(prefixOf(name)) ?? '') === ns;
}
