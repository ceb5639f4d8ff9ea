import type { Response } from 'express';

/** A generated file (an export) as an attachment: its type, its readable name, no caching (the API's default). */
export function sendDownload(res: Response, file: { fileName: string; contentType: string; body: Buffer }): void {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', contentDisposition(file.fileName));
  res.send(file.body);
}

/**
 * `attachment` with the name twice (RFC 6266): `filename*` in UTF-8 (RFC 5987) — "Sổ điểm 6A1 - Toán.xlsx" as
 * written, which every current browser uses — and `filename` without diacritics for anything older.
 */
export function contentDisposition(name: string): string {
  return `attachment; filename="${asciiName(name)}"; filename*=UTF-8''${rfc5987(name)}`;
}

/** encodeURIComponent leaves ' ( ) * unescaped, which RFC 5987's attr-char does not allow. */
function rfc5987(s: string): string {
  return encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function asciiName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
}
