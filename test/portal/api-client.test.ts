/**
 * The portal's one API client (portal/src/api/client.ts) against the real server: the sign-in steps, the data
 * provider and the custom actions all go through it, carry the UI language and (on writes) the session's CSRF
 * token, and every failure comes back as the same HttpError shape `{ message, errors }`.
 */
import { HttpError } from 'ra-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, apiDownload, errorBody, errorText, fileNameOf } from '../../portal/src/api/client';
import { dataProvider } from '../../portal/src/api/dataProvider';
import { authApi, getSession } from '../../portal/src/auth/session';
import { appVietnamese } from '../../portal/src/i18n/vi';
import { freshTotp } from '../helpers/client';
import { startServer, type TestServer } from '../helpers/server';

interface Sent {
  method: string;
  url: string;
  headers: Headers;
}

describe('portal API client', () => {
  let srv: TestServer;
  let cookie = '';
  let sent: Sent[] = [];
  let offline = false;
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    srv = await startServer('sqlite', { students: 20 });
    // A browser's fetch in node: same-origin paths go to the test server, and the session cookie is kept.
    globalThis.fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input);
      const headers = new Headers(init.headers);
      sent.push({ method: init.method ?? 'GET', url, headers });
      if (offline) throw new TypeError('fetch failed');
      if (cookie) headers.set('Cookie', cookie);
      const res = await realFetch(url.startsWith('/') ? srv.url + url : url, { ...init, headers });
      const sid = /sid=([^;]*)/.exec(res.headers.get('set-cookie') ?? '');
      if (sid) cookie = sid[1] ? `sid=${sid[1]}` : '';
      return res;
    }) as typeof fetch;
  });
  afterEach(() => {
    sent = [];
    offline = false;
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await srv?.close();
  });

  it('signs in through the client and sends the CSRF token on writes only', async () => {
    const account = srv.accounts.find((a) => a.role === 'academic_staff')!;
    let session = await authApi.login(account.username, account.password);
    if (session.stage === 'totp_required') session = await authApi.verifyTotp(await freshTotp(account.totpSecret!, srv.url));
    expect(session.stage).toBe('ok');
    expect(sent[0].url).toBe('/api/auth/login');
    expect(sent[0].headers.get('Content-Type')).toBe('application/json');
    expect(sent[0].headers.get('Accept-Language')).toBe('vi');
    sent = [];

    const list = await dataProvider.getList('departments', { pagination: { page: 1, perPage: 5 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    expect(list.data.length).toBeGreaterThan(0);
    const me = await apiCall<{ user: { username: string } }>('/auth/me');
    expect(me.user.username).toBe(account.username);
    for (const s of sent) {
      expect(s.method).toBe('GET');
      expect(s.headers.get('X-CSRF-Token')).toBeNull();
      expect(s.headers.get('Accept')).toBe('application/json');
    }
    sent = [];

    await expect(dataProvider.create('departments', { data: {} })).rejects.toBeInstanceOf(HttpError);
    expect(sent[0].method).toBe('POST');
    expect(sent[0].headers.get('X-CSRF-Token')).toBe(getSession()!.csrfToken);
  });

  it('turns every server error into the same { message, errors } shape, on both paths', async () => {
    const viaProvider = await dataProvider.create('departments', { data: {} }).catch((e: unknown) => e);
    const viaAction = await apiCall('/departments', { method: 'POST', body: {} }).catch((e: unknown) => e);
    for (const e of [viaProvider, viaAction]) {
      expect(e).toBeInstanceOf(HttpError);
      const b = errorBody(e);
      expect(b.status).toBe(400);
      expect(b.message).toBeTruthy();
      expect(Object.keys(b.errors)).toContain('name');
      expect(errorText(e)).toBe([b.message, ...Object.values(b.errors)].join(' '));
    }
    expect(errorBody(viaProvider)).toEqual(errorBody(viaAction));

    const missing = await apiCall('/no-such-endpoint').catch((e: unknown) => e);
    expect(errorBody(missing)).toMatchObject({ status: 404, message: 'Không có chức năng này.', errors: {} });
    expect((missing as HttpError).message).toBe('Không có chức năng này.');
  });

  it('downloads an export with the session and the language header, named as Content-Disposition says; a refusal is the usual HttpError', async () => {
    const semester = (await srv.db('semesters').where({ number: 1 }).first('id')) as { id: number };
    const klass = (await srv.db('classes').where({ name: '6A1' }).first('id')) as { id: number };
    sent = [];
    const { blob, fileName } = await apiDownload(`/exports/class-summary.xlsx?classId=${klass.id}&schoolYearId=${(await srv.db('school_years').first('id')).id}&semester=${1}`);
    expect(sent[0].headers.get('Accept-Language')).toBe('vi');
    expect(fileName).toMatch(/^Bảng tổng hợp 6A1 - Học kỳ I - \d{4}-\d{4}\.xlsx$/);
    // An XLSX is a ZIP.
    expect(Buffer.from(await blob.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');

    const refused = await apiDownload(`/exports/gradebook.xlsx?classId=${klass.id}&semesterId=${semester.id}`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect(errorBody(refused)).toMatchObject({ status: 400, message: 'Dữ liệu chưa hợp lệ, vui lòng kiểm tra lại các trường được đánh dấu.' });
    expect(Object.keys(errorBody(refused).errors)).toEqual(['subjectId']);

    expect(fileNameOf(`attachment; filename="So diem.xlsx"; filename*=UTF-8''S%E1%BB%95%20%C4%91i%E1%BB%83m.xlsx`)).toBe('Sổ điểm.xlsx');
    expect(fileNameOf('attachment; filename="So diem.xlsx"')).toBe('So diem.xlsx');
    expect(fileNameOf(null)).toBeNull();
  });

  it('reports a failed connection as the network error message, in the UI language', async () => {
    offline = true;
    for (const call of [() => apiCall('/auth/me'), () => dataProvider.getOne('departments', { id: 1 })]) {
      const e = await call().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(HttpError);
      // react-admin translates the key in its own notifications; the pages show errorBody's text as it is.
      expect((e as HttpError).message).toBe('app.common.network_error');
      expect(errorBody(e)).toMatchObject({ status: 0, message: appVietnamese.app.common.network_error, errors: {} });
      expect(errorText(e)).toBe(appVietnamese.app.common.network_error);
    }
  });

  it('forgets the CSRF token when the session ends', async () => {
    await authApi.logout();
    sent = [];
    const e = await apiCall('/departments', { method: 'POST', body: { name: 'x' } }).catch((x: unknown) => x);
    expect(sent[0].headers.get('X-CSRF-Token')).toBeNull();
    expect(errorBody(e).status).toBe(401);
  });
});
