import fs from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { fromRoot } from '../paths';

/**
 * Validation of transcript documents against schemas/hocba-v1.xsd, in process: libxml2's own schema validator
 * compiled to WebAssembly (npm xmllint-wasm), so `npm start` on a machine without Debian's xmllint validates too
 * (the tests check the same documents with the independent `xmllint` binary).
 *
 * A call starts a worker and compiles the module (≈150 ms), after which each document costs about a millisecond:
 * callers validate many documents at once (`validateTranscriptXmls`), and requests made in the same tick or while
 * the validator is busy share a run (the queue below).
 */

export const SCHEMA_PATH = fromRoot('schemas/hocba-v1.xsd');

export type ValidationResult = { ok: true } | { ok: false; errors: string[] };

/**
 * Documents per run: each is parsed, validated and freed in turn inside the module's bounded memory (128 MiB here);
 * 500 transcripts in one run were measured at 1.74 ms a document.
 */
const CHUNK = 400;
let schema: string | null = null;

/**
 * Requests wait in one queue, looked at on the next turn of the event loop (so that calls made in the same tick
 * share a run); at most RUNS validator runs go at once (one per core of the target machine), and whatever queued
 * meanwhile goes into the next run together, up to CHUNK documents: opening a school's transcripts class by class
 * then pays the run's start-up once for several classes instead of once per class.
 */
const RUNS = 2;
let running = 0;
let scheduled = false;
const queue: Array<{ xmls: readonly string[]; resolve: (r: ValidationResult[]) => void; reject: (e: unknown) => void }> = [];

export function validateTranscriptXmls(xmls: readonly string[]): Promise<ValidationResult[]> {
  if (xmls.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    queue.push({ xmls, resolve, reject });
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        pump();
      });
    }
  });
}

/** One document, through the same queue. */
export async function validateTranscriptXml(xml: string): Promise<ValidationResult> {
  return (await validateTranscriptXmls([xml]))[0];
}

function pump(): void {
  while (running < RUNS && queue.length > 0) {
    const take = [queue.shift()!];
    let n = take[0].xmls.length;
    while (queue.length > 0 && n + queue[0].xmls.length <= CHUNK) n += queue[0].xmls.length, take.push(queue.shift()!);
    running++;
    void runTogether(take).finally(() => {
      running--;
      pump();
    });
  }
}

async function runTogether(take: typeof queue): Promise<void> {
  try {
    const all = take.flatMap((t) => t.xmls);
    const results: ValidationResult[] = [];
    // One request larger than a chunk (and only then) is validated in several runs, one after the other.
    for (let i = 0; i < all.length; i += CHUNK) results.push(...(await validateChunk(all.slice(i, i + CHUNK))));
    let at = 0;
    for (const t of take) {
      t.resolve(results.slice(at, at + t.xmls.length));
      at += t.xmls.length;
    }
  } catch (err) {
    for (const t of take) t.reject(err);
  }
}

async function validateChunk(xmls: readonly string[]): Promise<ValidationResult[]> {
  schema ??= fs.readFileSync(SCHEMA_PATH, 'utf8');
  const files = xmls.map((contents, i) => ({ fileName: `doc${i}.xml`, contents }));
  const run = await validateXML({ xml: files, schema: [{ fileName: 'hocba-v1.xsd', contents: schema }], maxMemoryPages: 2048 });
  const errors = new Map<number, string[]>();
  for (const e of run.errors) {
    const index = Number(/^doc(\d+)\.xml$/.exec(e.loc?.fileName ?? '')?.[1] ?? -1);
    if (index < 0 || /fails to validate$/.test(e.rawMessage)) continue;
    const line = e.loc?.lineNumber ? `line ${e.loc.lineNumber}: ` : '';
    errors.set(index, [...(errors.get(index) ?? []), `${line}${e.message.replaceAll('{urn:hocbaso:v1}', '').trim()}`]);
  }
  return xmls.map((_, i): ValidationResult => {
    const found = errors.get(i);
    if (found) return { ok: false, errors: found };
    // A document that failed without a located message (unparsable, say) is still refused, with a reason.
    return run.valid || !run.rawOutput.includes(`doc${i}.xml fails to validate`) ? { ok: true } : { ok: false, errors: ['document does not validate'] };
  });
}
