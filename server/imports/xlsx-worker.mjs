// Reads the first visible worksheet of an XLSX off the request thread (issue 8, item 4): exceljs holds the whole
// workbook in memory and parses it synchronously in parts, so it runs here, in a worker with its own heap limit.
// Plain JavaScript so that it starts the same under tsx, vitest and node. Answers { rows } or { error }.
import { parentPort, workerData } from 'node:worker_threads';
import ExcelJS from 'exceljs';

/** Strings, numbers, booleans, Dates and plain copies of objects (no functions, no prototypes): what postMessage clones. */
function plain(v, depth) {
  if (v === undefined || v === null || typeof v === 'function' || depth > 5) return null;
  if (typeof v !== 'object' || v instanceof Date) return v;
  if (Array.isArray(v)) return v.map((x) => plain(x, depth + 1));
  const out = {};
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'function') out[k] = plain(x, depth + 1);
  return out;
}

const wb = new ExcelJS.Workbook();
try {
  await wb.xlsx.load(workerData.buf);
  const ws = wb.worksheets.find((w) => w.state === 'visible') ?? wb.worksheets[0];
  if (!ws) {
    parentPort.postMessage({ error: 'unreadable' });
  } else {
    const rows = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      // Plain data only: structured clone keeps strings, numbers, booleans, Dates and plain objects.
      rows.push({ row: rowNumber, values: Array.from(values, (v) => plain(v, 0)) });
    });
    parentPort.postMessage({ rows });
  }
} catch {
  parentPort.postMessage({ error: 'unreadable' });
}
