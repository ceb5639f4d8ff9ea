/**
 * When the nightly backup runs (domain/backup-schedule.ts) and how BACKUP_* is configured (server/config.ts): Vietnam
 * time has no daylight saving, so every night is 24 hours after the last, across month and year ends; a bad
 * BACKUP_AT stops the start with a message that says what is expected.
 */
import { describe, expect, it } from 'vitest';
import { lastNightlyRun, nextNightlyRun, parseBackupAt, shouldCatchUp } from '../domain/backup-schedule';
import { ConfigError, loadConfig } from '../server/config';

/** An instant given as Vietnam wall-clock time. */
const vn = (local: string) => new Date(`${local}+07:00`).toISOString();

describe('the nightly schedule', () => {
  it('reads BACKUP_AT as HH:MM from 00:00 to 23:59 and nothing else', () => {
    for (const ok of ['00:00', '02:00', '13:05', '23:59']) expect(parseBackupAt(ok)).toBe(ok);
    for (const bad of ['24:00', '2:00', '02:60', '2am', '02.00', '', '02:00:00', '-1:00']) expect(parseBackupAt(bad)).toBeNull();
  });

  it('runs next at BACKUP_AT Vietnam time, strictly after now', () => {
    expect(nextNightlyRun(vn('2027-03-10T01:59:59'), '02:00')).toEqual({ runDate: '2027-03-10', at: vn('2027-03-10T02:00:00') });
    // At the very instant, that night is the last one and the next is tomorrow's.
    expect(nextNightlyRun(vn('2027-03-10T02:00:00'), '02:00')).toEqual({ runDate: '2027-03-11', at: vn('2027-03-11T02:00:00') });
    expect(lastNightlyRun(vn('2027-03-10T02:00:00'), '02:00')).toEqual({ runDate: '2027-03-10', at: vn('2027-03-10T02:00:00') });
    expect(lastNightlyRun(vn('2027-03-10T01:00:00'), '02:00')).toEqual({ runDate: '2027-03-09', at: vn('2027-03-09T02:00:00') });
  });

  it('crosses month and year ends, leap day included', () => {
    expect(nextNightlyRun(vn('2027-12-31T03:00:00'), '02:00')).toEqual({ runDate: '2028-01-01', at: '2027-12-31T19:00:00.000Z' });
    expect(lastNightlyRun(vn('2028-01-01T01:00:00'), '02:00')).toEqual({ runDate: '2027-12-31', at: '2027-12-30T19:00:00.000Z' });
    expect(nextNightlyRun(vn('2028-02-28T03:00:00'), '02:00').runDate).toBe('2028-02-29');
    expect(nextNightlyRun(vn('2028-02-29T03:00:00'), '02:00').runDate).toBe('2028-03-01');
    expect(nextNightlyRun(vn('2027-02-28T03:00:00'), '02:00').runDate).toBe('2027-03-01');
    // 23:30 in Vietnam is 16:30 UTC the same day: the run date is Vietnam's.
    expect(nextNightlyRun(vn('2027-04-30T23:45:00'), '23:30')).toEqual({ runDate: '2027-05-01', at: '2027-05-01T16:30:00.000Z' });
    expect(nextNightlyRun(vn('2027-05-01T00:10:00'), '00:05')).toEqual({ runDate: '2027-05-02', at: '2027-05-01T17:05:00.000Z' });
  });

  it('keeps every night exactly 24 hours after the last, all year (no daylight saving in Vietnam)', () => {
    let run = nextNightlyRun(vn('2027-01-01T12:00:00'), '02:00');
    const dates = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const following = nextNightlyRun(run.at, '02:00');
      expect(Date.parse(following.at) - Date.parse(run.at)).toBe(24 * 3_600_000);
      expect(new Date(Date.parse(following.at) + 7 * 3_600_000).toISOString().slice(11, 16)).toBe('02:00');
      dates.add(following.runDate);
      run = following;
    }
    expect(dates.size).toBe(400);
  });

  it('catches up a missed night only when the job ran before and its last good backup is over a day old', () => {
    const now = vn('2027-03-10T09:00:00');
    expect(shouldCatchUp({ now, everRan: false, lastSuccessAt: null })).toBe(false);
    expect(shouldCatchUp({ now, everRan: true, lastSuccessAt: null })).toBe(true);
    expect(shouldCatchUp({ now, everRan: true, lastSuccessAt: vn('2027-03-09T02:00:10') })).toBe(true);
    expect(shouldCatchUp({ now, everRan: true, lastSuccessAt: vn('2027-03-10T02:00:10') })).toBe(false);
  });
});

describe('BACKUP_* configuration', () => {
  const base = { SESSION_SECRET: 'x'.repeat(40), DATA_DIR: '/srv/hocba' };

  it('defaults: on, at 02:00, DATA_DIR/backups, keeping 14', () => {
    expect(loadConfig(base).backup).toEqual({ nightly: true, at: '02:00', dir: '/srv/hocba/backups', keep: 14 });
    expect(loadConfig({ ...base, BACKUP_NIGHTLY: 'off', BACKUP_AT: '03:30', BACKUP_DIR: '/mnt/backups', BACKUP_KEEP: '30' }).backup).toEqual({
      nightly: false,
      at: '03:30',
      dir: '/mnt/backups',
      keep: 30,
    });
  });

  it.each([
    ['BACKUP_AT', '25:00', 'HH:MM'],
    ['BACKUP_AT', '2:00', 'HH:MM'],
    ['BACKUP_KEEP', '0', 'at least 1'],
    ['BACKUP_KEEP', 'many', 'whole number'],
    ['BACKUP_NIGHTLY', 'yes', 'on'],
  ])('refuses %s=%s at start, naming the variable and what it expects', (name, value, expected) => {
    try {
      loadConfig({ ...base, [name]: value });
      expect.unreachable(`${name}=${value} was accepted`);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain(name);
      expect((err as Error).message).toContain(expected);
    }
  });
});
