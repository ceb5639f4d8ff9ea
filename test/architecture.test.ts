import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The import rules of docs/architecture.md, checked over the source text: HTTP is one entry point over the core,
 * the domain stays pure, and capability folders do not import each other in a loop.
 */
const ROOT = path.resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(rel);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** Every module specifier a file imports or re-exports (static and dynamic), as written. */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const out: string[] = [];
  const patterns = [/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm, /^\s*import\s+['"]([^'"]+)['"]/gm, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) out.push(m[1]);
  return out;
}

/** A relative specifier resolved to a repository path (no extension); a package name stays as it is. */
function resolve(file: string, spec: string): string {
  return spec.startsWith('.') ? path.normalize(path.join(path.dirname(file), spec)).replace(/\.(ts|tsx|js)$/, '') : spec;
}

const serverFiles = sourceFiles('server');
const isEntryPoint = (f: string) => path.basename(f) === 'routes.ts' || f.startsWith('server/http/') || f === 'server/app.ts' || f === 'server/main.ts';

describe('import rules', () => {
  it('only routes.ts, server/http/, app.ts and main.ts import express or server/http/', () => {
    const offenders = serverFiles
      .filter((f) => !isEntryPoint(f))
      .flatMap((f) =>
        specifiers(f)
          .map((s) => resolve(f, s))
          .filter((target) => target === 'express' || target.startsWith('express/') || target.startsWith('server/http/'))
          .map((target) => `${f} → ${target}`),
      );
    expect(offenders).toEqual([]);
  });

  it('server/core/ imports no express, nothing from server/http/ and no capability', () => {
    const offenders = serverFiles
      .filter((f) => f.startsWith('server/core/'))
      .flatMap((f) =>
        specifiers(f)
          .map((s) => resolve(f, s))
          .filter((t) => t === 'express' || (t.startsWith('server/') && !t.startsWith('server/core/') && !t.startsWith('server/db/')))
          .map((t) => `${f} → ${t}`),
      );
    expect(offenders).toEqual([]);
  });

  it('domain/ imports nothing outside domain/ except decimal.js', () => {
    const offenders = sourceFiles('domain').flatMap((f) =>
      specifiers(f)
        .map((s) => resolve(f, s))
        .filter((t) => !t.startsWith('domain/') && t !== 'decimal.js')
        .map((t) => `${f} → ${t}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe('import graph', () => {
  /** server/<folder> → the other server folders its files import. */
  function folderGraph(): Map<string, Set<string>> {
    const graph = new Map<string, Set<string>>();
    for (const f of serverFiles) {
      const from = f.split('/')[1];
      if (f.split('/').length < 3) continue; // server/app.ts and the like: entry points, not a folder
      const deps = graph.get(from) ?? new Set<string>();
      for (const s of specifiers(f)) {
        const t = resolve(f, s);
        const parts = t.split('/');
        if (parts[0] === 'server' && parts.length >= 3 && parts[1] !== from) deps.add(parts[1]);
      }
      graph.set(from, deps);
    }
    return graph;
  }

  /** The strongly connected components with more than one folder (Tarjan). */
  function cycles(graph: Map<string, Set<string>>): string[][] {
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const on = new Set<string>();
    const out: string[][] = [];
    const visit = (v: string) => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      on.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1) out.push(scc.sort());
      }
    };
    for (const v of graph.keys()) if (!idx.has(v)) visit(v);
    return out;
  }

  it('finds a loop when there is one (the check itself works)', () => {
    const g = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
  });

  it('has no import cycle between capability folders (server/<folder>)', () => {
    const graph = folderGraph();
    expect(graph.has('gradebook') && graph.has('results') && graph.has('core')).toBe(true);
    expect(cycles(graph)).toEqual([]);
  });
});
