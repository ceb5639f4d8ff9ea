import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { takeTurns } from '../server/http/turns';
import type { Db } from '../server/db/knex';

const dbOf = (client: string) => ({ client: { config: { client } } }) as unknown as Db;
const run = (mw: ReturnType<typeof takeTurns>, next: () => void, method = 'PUT') => mw({ method } as Request, {} as Response, next as NextFunction);

/**
 * On SQLite a request runs to its end once started (every query answers at once): requests start one per turn of
 * the event loop, in arrival order, so whatever arrives or is due meanwhile (here: the `between` callback) gets
 * its turn between them instead of after the whole batch.
 */
describe('requests take turns on SQLite', () => {
  it('starts waiting requests in arrival order, giving the event loop a turn between them', async () => {
    const order: string[] = [];
    const mw = takeTurns(dbOf('better-sqlite3'));
    const done = new Promise<void>((resolve) => {
      run(mw, () => order.push('first'));
      run(mw, () => order.push('second'));
      run(mw, () => (order.push('third'), resolve()));
      setImmediate(() => order.push('between'));
    });
    await done;
    expect(order).toEqual(['first', 'between', 'second', 'third']);
  });

  it('starts reads at once (they are short)', () => {
    const order: string[] = [];
    const mw = takeTurns(dbOf('better-sqlite3'));
    run(mw, () => order.push('save'));
    run(mw, () => order.push('read'), 'GET');
    expect(order).toEqual(['read']);
  });

  it('leaves PostgreSQL requests alone: they start at once', () => {
    const order: string[] = [];
    const mw = takeTurns(dbOf('pg'));
    run(mw, () => order.push('first'));
    run(mw, () => order.push('second'));
    expect(order).toEqual(['first', 'second']);
  });
});
