import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPassword } from '../domain/password-policy';
import { searchKey } from '../domain/text';
import { ConfigError, loadConfig } from '../server/config';
import { toDecimalString } from '../server/db/decimal';

describe('password policy', () => {
  it.each([
    ['short1', 'passwordTooShort'],
    ['chilachuthoi', 'passwordNeedsLetterDigit'],
    ['1234567890123', 'passwordNeedsLetterDigit'],
    ['gv.lan-2026-xyz', 'passwordIsUsername'],
    ['Password123', 'passwordCommon'],
  ])('refuses %s (%s)', (pw, key) => {
    expect(checkPassword(pw, 'gv.lan')?.key).toBe(key);
  });
  it('accepts a long password with letters and digits, Vietnamese letters included', () => {
    expect(checkPassword('Mùa-thu-năm-2026', 'gv.lan')).toBeNull();
  });
});

describe('search keys', () => {
  it('drops diacritics, đ and case so "nguyen" finds "Nguyễn"', () => {
    expect(searchKey('Nguyễn Thị Ánh', 'Đặng')).toBe('nguyen thi anh dang');
    expect(searchKey('  ĐỖ   Văn  ', null)).toBe('do van');
  });
});

describe('decimal normalisation (one place for both drivers)', () => {
  it.each([
    [8.3, '8.3'],
    ['8.30', '8.3'],
    ['10.0', '10'],
    [0, '0'],
    ['7.25', '7.25'],
    [null, null],
  ])('%s → %s', (input, out) => {
    expect(toDecimalString(input)).toBe(out);
  });
  it('refuses what is not a decimal', () => {
    expect(() => toDecimalString(Number.NaN)).toThrow();
    expect(() => toDecimalString('tám')).toThrow();
  });
});

describe('configuration', () => {
  it('generates a session secret once and keeps it under the data directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const first = loadConfig({ DATA_DIR: dir }).sessionSecret;
    expect(first).toHaveLength(64);
    expect(loadConfig({ DATA_DIR: dir }).sessionSecret).toBe(first);
    expect((fs.statSync(path.join(dir, 'session-secret')).mode & 0o777).toString(8)).toBe('600');
    fs.rmSync(dir, { recursive: true });
  });

  it('has sensible defaults', () => {
    const c = loadConfig({ SESSION_SECRET: 'x'.repeat(40) });
    expect(c).toMatchObject({ port: 3000, databaseUrl: 'sqlite:./data/school.sqlite', corsOrigin: 'http://localhost:3000', sessionIdleMs: 30 * 60_000 });
  });
  it('says which variable is wrong and why', () => {
    expect(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', SESSION_SECRET: 'short' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', SESSION_SECRET: 'short' });
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toMatch(/PORT/);
      expect(msg).toMatch(/DATABASE_URL: must start with sqlite: or postgres:\/\//);
      expect(msg).toMatch(/SESSION_SECRET: must be at least 32 characters/);
    }
  });
});
