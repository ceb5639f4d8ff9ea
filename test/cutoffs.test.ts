import { describe, expect, it } from 'vitest';
import { cellClosure, DEFAULT_CUTOFFS, formatVn, regularCutoffAfter, vnMidnight, type Closure, type CutoffSettings } from '../domain/cutoffs';

/**
 * The weekly and periodic cutoffs (seed 000: regular scores by Friday 15:00 each week, periodic scores within one
 * week of the test), exact to the second in Vietnam time (UTC+7). 2026-11-20 is a Friday.
 */
const settings = (over: Partial<CutoffSettings> = {}): CutoffSettings => ({ ...DEFAULT_CUTOFFS, ...over });

describe('regularCutoffAfter, default Friday 15:00 Vietnam time', () => {
  it.each([
    // [entered at, first cutoff strictly after it]
    ['2026-11-20T07:59:59.000Z', '2026-11-20T08:00:00.000Z', 'Friday 14:59:59 closes a second later'],
    ['2026-11-20T07:59:59.999Z', '2026-11-20T08:00:00.000Z', 'Friday 14:59:59.999'],
    ['2026-11-20T08:00:00.000Z', '2026-11-27T08:00:00.000Z', 'Friday 15:00:00 exactly belongs to next week'],
    ['2026-11-20T08:00:01.000Z', '2026-11-27T08:00:00.000Z', 'Friday 15:00:01'],
    ['2026-11-20T17:00:00.000Z', '2026-11-27T08:00:00.000Z', 'Saturday 00:00'],
    ['2026-11-22T16:59:59.000Z', '2026-11-27T08:00:00.000Z', 'Sunday 23:59:59'],
    ['2026-11-22T17:00:00.000Z', '2026-11-27T08:00:00.000Z', 'Monday 00:00'],
    ['2026-11-18T10:30:00.000Z', '2026-11-20T08:00:00.000Z', 'Wednesday 17:30'],
    // Thursday 20:00 UTC is already Friday 03:00 in Vietnam: the UTC weekday must not be used.
    ['2026-11-19T20:00:00.000Z', '2026-11-20T08:00:00.000Z', 'Friday 03:00 (still Thursday in UTC)'],
    ['2026-11-20T16:59:59.000Z', '2026-11-27T08:00:00.000Z', 'Friday 23:59:59 (still Friday in UTC and in Vietnam)'],
    ['2026-11-20T14:59:59+07:00', '2026-11-20T08:00:00.000Z', 'an instant written with the +07:00 offset'],
    ['2026-12-31T10:00:00.000Z', '2027-01-01T08:00:00.000Z', 'across the new year'],
    ['2027-02-26T08:00:00.000Z', '2027-03-05T08:00:00.000Z', 'across the end of February'],
  ])('%s → %s (%s)', (enteredAt, cutoff) => {
    expect(regularCutoffAfter(enteredAt, settings())).toBe(cutoff);
  });
});

describe('regularCutoffAfter, other school settings', () => {
  it.each([
    // [weekday, time, entered at, cutoff, note]
    [4, '10:00', '2026-11-19T02:59:59.000Z', '2026-11-19T03:00:00.000Z', 'Thursday 10:00: Thursday 09:59:59'],
    [4, '10:00', '2026-11-19T03:00:00.000Z', '2026-11-26T03:00:00.000Z', 'Thursday 10:00: at the cutoff'],
    [4, '10:00', '2026-11-20T07:59:59.000Z', '2026-11-26T03:00:00.000Z', 'Thursday 10:00: Friday afternoon waits a week'],
    [1, '00:00', '2026-11-22T16:59:59.000Z', '2026-11-22T17:00:00.000Z', 'Monday 00:00: Sunday 23:59:59'],
    [1, '00:00', '2026-11-22T17:00:00.000Z', '2026-11-29T17:00:00.000Z', 'Monday 00:00: at midnight'],
    [7, '23:30', '2026-11-21T10:00:00.000Z', '2026-11-22T16:30:00.000Z', 'Sunday 23:30 (Sunday 16:30 UTC)'],
    [6, '07:05', '2026-11-20T23:59:00.000Z', '2026-11-21T00:05:00.000Z', 'Saturday 07:05: Saturday 06:59'],
    [5, '15:30', '2026-11-20T08:10:00.000Z', '2026-11-20T08:30:00.000Z', 'Friday 15:30: Friday 15:10'],
  ])('weekday %i at %s: %s → %s (%s)', (weekday, time, enteredAt, cutoff) => {
    expect(regularCutoffAfter(enteredAt, settings({ regularCutoffWeekday: weekday, regularCutoffTime: time }))).toBe(cutoff);
  });
});

describe('cellClosure', () => {
  const entered = '2026-11-18T03:00:00.000Z'; // Wednesday 10:00; closes Friday 2026-11-20 15:00

  it.each([
    ['2026-11-20T07:59:59.000Z', false, 'one second before the cutoff'],
    ['2026-11-20T08:00:00.000Z', true, 'at the cutoff'],
    ['2026-11-20T08:00:01.000Z', true, 'one second after'],
  ])('a regular score entered Wednesday, at %s: closed=%s (%s)', (now, closed) => {
    const c = cellClosure({ kind: 'regular', firstEnteredAt: entered }, settings(), now);
    expect(c).toEqual(closed ? { closed: true, rule: 'regular_weekly', since: '2026-11-20T08:00:00.000Z' } : { closed: false });
  });

  it('an empty regular cell is never closed by the weekly cutoff', () => {
    expect(cellClosure({ kind: 'regular', firstEnteredAt: null }, settings(), '2027-01-10T00:00:00.000Z')).toEqual({ closed: false });
  });

  it('a periodic cell without a test date is closed, and says so', () => {
    expect(cellClosure({ kind: 'midterm', testDate: null }, settings(), '2026-11-20T00:00:00.000Z')).toEqual({ closed: true, rule: 'periodic_no_test_date', since: null });
  });

  // Test on Tuesday 2026-11-10: the window opens at 00:00 that day and runs through the whole 7th day after it
  // (Tuesday 17/11), closing at 00:00 on Wednesday 18/11 Vietnam time = 2026-11-17T17:00:00Z.
  it.each([
    ['2026-11-09T16:59:59.000Z', { closed: true, rule: 'periodic_before_test', since: null, until: '2026-11-09T17:00:00.000Z' }, 'the evening before the test'],
    ['2026-11-09T17:00:00.000Z', { closed: false }, 'midnight of the test day'],
    ['2026-11-17T16:59:59.000Z', { closed: false }, 'the last second of the 7th day'],
    ['2026-11-17T17:00:00.000Z', { closed: true, rule: 'periodic_window', since: '2026-11-17T17:00:00.000Z' }, 'midnight after the 7th day'],
    ['2026-12-01T00:00:00.000Z', { closed: true, rule: 'periodic_window', since: '2026-11-17T17:00:00.000Z' }, 'weeks later, still since the same instant'],
  ] as Array<[string, Closure, string]>)('final test on 10/11/2026, at %s → %j', (now, expected) => {
    expect(cellClosure({ kind: 'final', testDate: '2026-11-10' }, settings(), now)).toEqual(expected);
  });

  it('a 3-day window closes at midnight after the 3rd day', () => {
    const s = settings({ periodicWindowDays: 3 });
    expect(cellClosure({ kind: 'midterm', testDate: '2026-11-10' }, s, '2026-11-13T16:59:59.000Z')).toEqual({ closed: false });
    expect(cellClosure({ kind: 'midterm', testDate: '2026-11-10' }, s, '2026-11-13T17:00:00.000Z')).toEqual({ closed: true, rule: 'periodic_window', since: '2026-11-13T17:00:00.000Z' });
  });
});

describe('vnMidnight and formatVn', () => {
  it.each([
    ['2026-11-10', 0, '2026-11-09T17:00:00.000Z'],
    ['2026-11-10', 8, '2026-11-17T17:00:00.000Z'],
    ['2026-12-31', 1, '2026-12-31T17:00:00.000Z'],
    ['2027-02-28', 1, '2027-02-28T17:00:00.000Z'],
    ['2027-01-01', 0, '2026-12-31T17:00:00.000Z'],
  ])('Vietnam midnight of %s plus %i days = %s', (date, days, instant) => {
    expect(vnMidnight(date, days)).toBe(instant);
  });

  it.each([
    ['2026-11-20T08:00:00.000Z', '15:00 20/11/2026'],
    ['2026-12-31T17:00:00.000Z', '00:00 01/01/2027'],
    ['2026-11-19T20:05:00.000Z', '03:05 20/11/2026'],
    ['2027-03-04T16:59:59.000Z', '23:59 04/03/2027'],
    ['2026-11-20T15:00:00+07:00', '15:00 20/11/2026'],
  ])('%s is shown as %s (Vietnam time, dd/mm/yyyy)', (instant, shown) => {
    expect(formatVn(instant)).toBe(shown);
  });
});
