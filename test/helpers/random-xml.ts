/** Seeded random XML documents with namespaces, prefixed and xml: attributes, entities and odd whitespace. */
export function randomXml(seed: number): string {
  let s = seed >>> 0 || 1;
  const rnd = (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
  const pick = <T>(xs: T[]) => xs[rnd(xs.length)];
  const texts = ['8,3', 'Tốt &amp; đạt', 'a &lt; b &gt; c', ' "q" \'a\' ', '&#9;tab&#10;nl', 'Ừ ư ơ', '  ', 'x&#xD;y', ']]&gt;'];
  const values = ['1', 'a &amp; b', '&quot;q&quot;', 'tab&#9;x', 'nl&#10;y', 'lit\ttab', 'lit\nnl', '&lt;x&gt;', 'Việt'];
  let id = 0;
  const el = (depth: number, bound: string[]): string => {
    const decls: string[] = [];
    const nowBound = [...bound];
    if (rnd(4) === 0) {
      const p = pick(['p', 'q', 'r']);
      decls.push(`xmlns:${p}="urn:${p}${rnd(2)}"`);
      if (!nowBound.includes(p)) nowBound.push(p);
    }
    if (rnd(5) === 0) decls.push(pick(['xmlns="urn:d2"', 'xmlns=""', 'xmlns="urn:d"']));
    const prefix = nowBound.length > 0 && rnd(3) === 0 ? `${pick(nowBound)}:` : '';
    const name = `${prefix}${pick(['a', 'bang', 'diem', 'z', 'B'])}`;
    const attrs = new Map<string, string>();
    if (rnd(2) === 0) attrs.set('Id', `id${id++}`);
    for (let i = rnd(4); i > 0; i--) {
      const an = nowBound.length > 0 && rnd(3) === 0 ? `${pick(nowBound)}:${pick(['k', 'm'])}` : rnd(6) === 0 ? 'xml:lang' : pick(['k', 'b', 'zz', 'A', 'm']);
      attrs.set(an, pick(values));
    }
    const sp = () => pick([' ', '  ', '\n   ', '\t']);
    const open = `<${name}${[...decls, ...[...attrs].map(([k, v]) => `${k}${pick(['=', ' = '])}${pick(['"', "'"]) === '"' ? `"${v}"` : `'${v}'`}`)].map((a) => sp() + a).join('')}${rnd(3) === 0 ? sp() : ''}`;
    if (depth > 3 || rnd(5) === 0) return `${open}/>`;
    let body = '';
    for (let i = rnd(4); i > 0; i--) body += rnd(2) === 0 ? pick(texts) : el(depth + 1, nowBound);
    if (rnd(6) === 0) body += '<!-- note -->';
    return `${open}>${body}</${name}>`;
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n<root xmlns="urn:d">${el(0, [])}${el(0, [])}</root>\n`;
}
