/**
 * A single-pass scanner and exclusive canonicaliser (exc-c14n without comments) for the XML the server signs.
 * Signing a transcript batch must not pay for a full DOM parse per document (about 4 ms for 30 KB with xmldom,
 * ten times an RSA signature), so prepareXmlSignatures scans the text once, by hand (no regular-expression match
 * objects, attributes kept as raw strings and decoded only inside covered parts), and canonicalises the covered
 * parts straight from the tokens. It handles elements, attributes, namespaces, text, the five predefined entities
 * and character references, and comments; for anything else (CDATA, processing instructions, a DOCTYPE, an
 * unknown entity, a tag that does not close, an unbound prefix) it returns null and the caller takes the DOM
 * path, which either handles it or reports the error. The output is checked against xml-crypto's canonicaliser
 * and xmllint in the tests.
 */

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

interface Elem {
  name: string;
  /** Attributes other than namespace declarations, raw (undecoded) values; null when none. */
  attrNames: string[] | null;
  attrValues: string[] | null;
  /** Namespace bindings in scope at this element (its own declarations included). */
  scope: Map<string, string>;
  /** Token index of the matching end. */
  end: number;
  parent: number;
  /** Text offsets: the `<` of the start tag; the `</` of the end tag, or the `/>` of an empty element. */
  start: number;
  closeAt: number;
}

/** A start tag (its element), the end of an element, or a text run (a number: index of its offset pair). */
type Token = Elem | typeof END | number;
const END = Object.freeze({ end: true });

export interface ScannedXml {
  xml: string;
  tokens: Token[];
  /** Text runs as offset pairs [start, end) into xml. */
  texts: number[];
  /** Id attribute value → token index of its element. */
  ids: Map<string, number>;
  root: number;
}

const isElem = (t: Token): t is Elem => typeof t === 'object' && t !== END;
const prefixOf = (name: string) => {
  const c = name.indexOf(':');
  return c < 0 ? '' : name.slice(0, c);
};
const localOf = (name: string) => name.slice(name.indexOf(':') + 1);
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Scans well-formed XML of the supported subset; null when the input needs the full parser. */
export function scanXml(xml: string): ScannedXml | null {
  const tokens: Token[] = [];
  const texts: number[] = [];
  const ids = new Map<string, number>();
  const stack: number[] = [];
  const len = xml.length;
  let pos = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (xml.startsWith('<?xml', pos)) {
    const end = xml.indexOf('?>', pos);
    if (end < 0) return null;
    pos = end + 2;
  }
  let root = -1;
  let rootClosed = false;
  const topScope = new Map<string, string>([['xml', XML_NS]]);
  while (pos < len) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt < 0 ? len : lt;
    if (textEnd > pos) {
      if (stack.length > 0) {
        tokens.push(texts.length);
        texts.push(pos, textEnd);
      } else if (xml.slice(pos, textEnd).trim() !== '') return null;
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
      const el = tokens[stack.pop()!] as Elem;
      if (xml.slice(lt + 2, gt).trimEnd() !== el.name) return null;
      el.end = tokens.length;
      el.closeAt = lt;
      tokens.push(END);
      if (stack.length === 0) rootClosed = true;
      pos = gt + 1;
      continue;
    }
    if (rootClosed) return null;
    const parentIndex = stack.length > 0 ? stack[stack.length - 1] : -1;
    const el: Elem = { name: '', attrNames: null, attrValues: null, scope: parentIndex >= 0 ? (tokens[parentIndex] as Elem).scope : topScope, end: -1, parent: parentIndex, start: lt, closeAt: -1 };
    const index = tokens.length;
    const after = startTag(xml, lt, el, ids, index);
    if (after < 0) return null;
    tokens.push(el);
    if (root < 0) root = index;
    else if (stack.length === 0) return null;
    if (el.closeAt >= 0) {
      el.end = tokens.length;
      tokens.push(END);
      if (stack.length === 0) rootClosed = true;
    } else stack.push(index);
    pos = after;
  }
  if (root < 0 || stack.length > 0) return null;
  return { xml, tokens, texts, ids, root };
}

/** Reads one start tag into `el`; returns the offset after it, or -1. */
function startTag(xml: string, lt: number, el: Elem, ids: Map<string, number>, index: number): number {
  const len = xml.length;
  let q = lt + 1;
  while (q < len) {
    const c = xml.charCodeAt(q);
    if (isSpace(c) || c === 47 || c === 62) break;
    q++;
  }
  if (q === lt + 1) return -1;
  el.name = xml.slice(lt + 1, q);
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
      el.closeAt = q;
      q += 2;
      break;
    }
    const nameStart = q;
    while (q < len) {
      const d = xml.charCodeAt(q);
      if (isSpace(d) || d === 61 || d === 62 || d === 47) break;
      q++;
    }
    if (q === nameStart) return -1;
    const an = xml.slice(nameStart, q);
    while (q < len && isSpace(xml.charCodeAt(q))) q++;
    if (xml.charCodeAt(q) !== 61 /* = */) return -1;
    q++;
    while (q < len && isSpace(xml.charCodeAt(q))) q++;
    const quote = xml.charCodeAt(q);
    if (quote !== 34 && quote !== 39) return -1;
    const vEnd = xml.indexOf(quote === 34 ? '"' : "'", q + 1);
    if (vEnd < 0) return -1;
    const value = xml.slice(q + 1, vEnd);
    q = vEnd + 1;
    if (an === 'xmlns' || an.startsWith('xmlns:')) {
      const uri = decode(value, true);
      if (uri === null) return -1;
      if (!copied) {
        el.scope = new Map(el.scope);
        copied = true;
      }
      el.scope.set(an === 'xmlns' ? '' : an.slice(6), uri);
      continue;
    }
    if (an === 'Id') {
      const id = decode(value, true);
      if (id === null || ids.has(id)) return -1;
      ids.set(id, index);
    }
    (el.attrNames ??= []).push(an);
    (el.attrValues ??= []).push(value);
  }
  // Namespace well-formedness: every prefix used is bound (the DOM path reports the error otherwise).
  const p = prefixOf(el.name);
  if (p && !el.scope.has(p)) return -1;
  if (el.attrNames) for (const an of el.attrNames) if (an.includes(':') && !el.scope.has(prefixOf(an))) return -1;
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
  if (v === null) throw new Error('unsupported entity reference');
  return v;
}

const escapeText = (s: string) =>
  /[&<>\r]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;') : s;
const escapeAttr = (s: string) =>
  /[&<"\t\n\r]/.test(s)
    ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;')
    : s;

/** Exclusive canonical form (without comments, no InclusiveNamespaces) of the element at token `index`. */
export function canonicalizeScanned(doc: ScannedXml, index: number): string {
  const out: string[] = [];
  const rendered: Map<string, string>[] = [new Map([['', '']])];
  const names: string[] = [];
  const last = (doc.tokens[index] as Elem).end;
  for (let i = index; i <= last; i++) {
    const tok = doc.tokens[i];
    if (typeof tok === 'number') {
      out.push(escapeText(mustDecode(doc.xml.slice(doc.texts[tok], doc.texts[tok + 1]), false)));
    } else if (tok === END) {
      rendered.pop();
      out.push('</', names.pop()!, '>');
    } else {
      const el = tok as Elem;
      out.push(canonicalStartTag(el, rendered));
      names.push(el.name);
    }
  }
  return out.join('');
}

function canonicalStartTag(el: Elem, rendered: Map<string, string>[]): string {
  const outer = rendered[rendered.length - 1];
  const state: NsState = { el, outer, mine: null, decls: null };
  // Exclusive c14n renders only the namespaces this element visibly uses, when the output does not have them yet.
  needNs(state, prefixOf(el.name));
  let attrs: CanonAttr[] | null = null;
  if (el.attrNames) {
    attrs = [];
    for (let k = 0; k < el.attrNames.length; k++) {
      const name = el.attrNames[k];
      const prefix = prefixOf(name);
      if (prefix) needNs(state, prefix);
      const uri = prefix === '' ? '' : prefix === 'xml' ? XML_NS : el.scope.get(prefix)!;
      attrs.push({ name, uri, local: prefix ? localOf(name) : name, value: mustDecode(el.attrValues![k], true) });
    }
  }
  rendered.push(state.mine ?? outer);
  let s = `<${el.name}`;
  if (state.decls) {
    state.decls.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [prefix, uri] of state.decls) s += prefix === '' ? ` xmlns="${escapeAttr(uri)}"` : ` xmlns:${prefix}="${escapeAttr(uri)}"`;
  }
  if (attrs) {
    // Attributes by namespace URI (none first), then local name.
    if (attrs.length > 1) attrs.sort(compareAttrs);
    for (const a of attrs) s += ` ${a.name}="${escapeAttr(a.value)}"`;
  }
  return `${s}>`;
}

interface NsState {
  el: Elem;
  outer: Map<string, string>;
  mine: Map<string, string> | null;
  decls: [string, string][] | null;
}

interface CanonAttr {
  name: string;
  uri: string;
  local: string;
  value: string;
}

function needNs(st: NsState, prefix: string): void {
  if (prefix === 'xml') return;
  const uri = st.el.scope.get(prefix) ?? '';
  if ((st.mine ?? st.outer).get(prefix) === uri) return;
  if (!st.mine) st.mine = new Map(st.outer);
  st.mine.set(prefix, uri);
  (st.decls ??= []).push([prefix, uri]);
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
  end: number;
  start: number;
  closeAt: number;
  id: string | null;
}

export function elementAt(doc: ScannedXml, index: number): ScannedElement {
  const el = doc.tokens[index] as Elem;
  const k = el.attrNames ? el.attrNames.indexOf('Id') : -1;
  return {
    name: el.name,
    local: localOf(el.name),
    namespace: el.scope.get(prefixOf(el.name)) ?? '',
    parent: el.parent,
    end: el.end,
    start: el.start,
    closeAt: el.closeAt,
    id: k < 0 ? null : decode(el.attrValues![k], true),
  };
}

/** Direct element children of the element at `index`. */
export function childElements(doc: ScannedXml, index: number): number[] {
  const out: number[] = [];
  const last = (doc.tokens[index] as Elem).end;
  for (let i = index + 1; i < last; i++) {
    const t = doc.tokens[i];
    if (isElem(t)) {
      out.push(i);
      i = t.end;
    }
  }
  return out;
}

/** Any SignatureValue (in namespace dsNs) still empty: a signature prepared but not assembled. */
export function hasPendingSignature(doc: ScannedXml, dsNs: string): boolean {
  for (let i = 0; i < doc.tokens.length; i++) {
    const t = doc.tokens[i];
    if (!isElem(t) || localOf(t.name) !== 'SignatureValue' || (t.scope.get(prefixOf(t.name)) ?? '') !== dsNs) continue;
    let text = '';
    for (let j = i + 1; j < t.end; j++) {
      const c = doc.tokens[j];
      if (typeof c === 'number') text += doc.xml.slice(doc.texts[c], doc.texts[c + 1]);
    }
    if (text.trim() === '') return true;
  }
  return false;
}
