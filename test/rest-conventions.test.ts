import simpleRestProvider from 'ra-data-simple-rest';
import { fetchUtils, type DataProvider } from 'ra-core';
import { searchKey } from '../domain/text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFor, Client } from './helpers/client';
import { testDatabases } from './helpers/databases';
import { startServer, type TestServer } from './helpers/server';

/** The portal's own data provider (ra-data-simple-rest), pointed at the running server with a signed-in session. */
function dataProviderFor(client: Client): DataProvider {
  const httpClient = (url: string, options: fetchUtils.Options = {}) => {
    const headers = new Headers(options.headers as HeadersInit | undefined);
    headers.set('Accept', 'application/json');
    headers.set('Cookie', client.cookie);
    headers.set('Accept-Language', 'vi');
    if (options.method && options.method !== 'GET') headers.set('X-CSRF-Token', client.csrf);
    return fetchUtils.fetchJson(url, { ...options, headers });
  };
  return simpleRestProvider(`${client.base}/api`, httpClient);
}

describe.each(testDatabases())('ra-data-simple-rest conventions on %s', (kind) => {
  let srv: TestServer;
  let dp: DataProvider;
  let staffClient: Client;
  let admin: Client;

  beforeAll(async () => {
    srv = await startServer(kind);
    staffClient = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'academic_staff'));
    dp = dataProviderFor(staffClient);
    admin = await new Client(srv.url).loginAs(accountFor(srv.accounts, 'admin'));
  });
  afterAll(async () => srv?.close());

  it('lists with sort, range and the total in Content-Range (exposed to the browser)', async () => {
    const all = await staffClient.get('/api/departments');
    const total = all.body.length;
    expect(total).toBeGreaterThan(3);
    const res = await staffClient.get(`/api/departments?sort=${encodeURIComponent('["name","DESC"]')}&range=${encodeURIComponent('[1,2]')}`);
    expect(res.headers.get('content-range')).toBe(`departments 1-2/${total}`);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/Content-Range/);
    const page = await dp.getList('departments', { pagination: { page: 1, perPage: 2 }, sort: { field: 'name', order: 'DESC' }, filter: {} });
    expect(page.total).toBe(total);
    expect(page.data).toHaveLength(2);
    const names = all.body.map((d: { name: string }) => d.name).sort().reverse();
    expect(page.data.map((d) => d.name)).toEqual(names.slice(0, 2));
  });

  it('searches with q without diacritics, and filters with _gte/_lte', async () => {
    const adminDp = dataProviderFor(admin);
    const all = await adminDp.getList('users', { pagination: { page: 1, perPage: 500 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    const nguyen = all.data.filter((u) => u.fullName.normalize('NFC').startsWith('Nguyễn'));
    expect(nguyen.length).toBeGreaterThan(0);
    const found = await adminDp.getList('users', { pagination: { page: 1, perPage: 500 }, sort: { field: 'id', order: 'ASC' }, filter: { q: 'nguyen' } });
    expect(found.data.map((u) => u.id)).toEqual(expect.arrayContaining(nguyen.map((u) => u.id)));
    expect(found.data.every((u) => searchKey(u.fullName, u.username).includes('nguyen'))).toBe(true);
    const ids = all.data.map((u) => u.id as number).sort((a, b) => a - b);
    const mid = ids[Math.floor(ids.length / 2)];
    const upper = await adminDp.getList('users', { pagination: { page: 1, perPage: 500 }, sort: { field: 'id', order: 'ASC' }, filter: { id_gte: mid } });
    expect(upper.data.every((u) => u.id >= mid)).toBe(true);
    expect(upper.total).toBe(ids.filter((i) => i >= mid).length);
    const lower = await adminDp.getList('users', { pagination: { page: 1, perPage: 500 }, sort: { field: 'id', order: 'ASC' }, filter: { id_lt: mid } });
    expect((lower.total ?? 0) + (upper.total ?? 0)).toBe(all.total);
  });

  it('answers getMany and getManyReference', async () => {
    const page = await dp.getList('departments', { pagination: { page: 1, perPage: 3 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    const wanted = [page.data[0].id, page.data[2].id];
    const many = await dp.getMany('departments', { ids: wanted });
    expect(many.data.map((d) => d.id).sort()).toEqual([...wanted].sort());
    const ref = await dataProviderFor(admin).getManyReference('users', {
      target: 'role',
      id: 'subject_teacher',
      pagination: { page: 1, perPage: 100 },
      sort: { field: 'username', order: 'ASC' },
      filter: {},
    });
    expect(ref.total).toBeGreaterThan(5);
    expect(ref.data.every((u) => u.roles.some((r: { role: string }) => r.role === 'subject_teacher'))).toBe(true);
  });

  it('creates, reads, updates and deletes, returning the record each time', async () => {
    const created = await dp.create('departments', { data: { code: 'GDDP', name: 'Tổ Giáo dục địa phương' } });
    expect(created.data).toMatchObject({ code: 'GDDP', name: 'Tổ Giáo dục địa phương', schoolId: expect.any(Number) });
    const id = created.data.id;
    expect((await dp.getOne('departments', { id })).data.name).toBe('Tổ Giáo dục địa phương');
    // react-admin sends the whole record back, id and schoolId included: accepted, and only name changes.
    const updated = await dp.update('departments', { id, data: { ...created.data, name: 'Tổ GD địa phương' }, previousData: created.data });
    expect(updated.data).toMatchObject({ id, name: 'Tổ GD địa phương', code: 'GDDP' });
    const raw = await staffClient.delete(`/api/departments/${id}`);
    expect(raw.status).toBe(200);
    expect(raw.body).toMatchObject({ id, name: 'Tổ GD địa phương' });
    await expect(dp.getOne('departments', { id })).rejects.toMatchObject({ status: 404 });
    const second = await dp.create('departments', { data: { code: 'TMP2', name: 'Tổ tạm' } });
    const deleted = await dp.deleteMany('departments', { ids: [second.data.id] });
    expect(deleted.data).toEqual([second.data.id]);
  });

  it('refuses unknown sort or filter fields and malformed list parameters with 400', async () => {
    expect((await staffClient.get(`/api/departments?sort=${encodeURIComponent('["password","ASC"]')}`)).status).toBe(400);
    const badFilter = await staffClient.get(`/api/departments?filter=${encodeURIComponent('{"secret":1}')}`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.message).toContain('secret');
    expect((await staffClient.get('/api/departments?range=[5,1]')).status).toBe(400);
    expect((await staffClient.get('/api/departments?filter={oops')).status).toBe(400);
  });
});
