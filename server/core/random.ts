/**
 * A small seeded PRNG so generated data (the demo school, last year's demo grade book, benches) is the same on every
 * machine and every run: tests can compare two generations, and a bug report can name the seed. Never Math.random here.
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(xs: readonly T[]): T;
  /** Picks from [value, weight] pairs, weights need not sum to 1. */
  weighted<T>(xs: readonly (readonly [T, number])[]): T;
  chance(p: number): boolean;
  /** A string of `n` random decimal digits. */
  digits(n: number): string;
}

/** mulberry32: 32-bit state, good enough spread for names and dates, and tiny. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    weighted: (xs) => {
      const total = xs.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [value, w] of xs) {
        r -= w;
        if (r < 0) return value;
      }
      return xs[xs.length - 1][0];
    },
    chance: (p) => next() < p,
    digits: (n) => Array.from({ length: n }, () => String(int(0, 9))).join(''),
  };
}
