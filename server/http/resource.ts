import { Router } from 'express';
import { applyFilters, parseListQuery } from '../core/list-query';
import { authorizeRecord, createRecord, deleteRecord, loadRecord, scopedQuery, updateRecord, type ResourceDef } from '../core/resource';
import type { Db } from '../db/knex';
import { actorOf, lang, userOf } from './context';

/**
 * One resource in ra-data-simple-rest form: list with `Content-Range`, show, and create / update / delete through
 * the record operations of server/core/resource.ts (which check permissions, run the transaction and audit).
 */
export function resourceRouter<Rec extends { id: number; schoolId: number }>(db: Db, def: ResourceDef<Rec>): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const user = userOf(req);
    const lq = parseListQuery(req.query as Record<string, unknown>, def.fields, def.defaultSort);
    const filtered = applyFilters(scopedQuery(db, def, user.principal, 'list'), lq, def.searchColumns ?? []);
    const countRow = (await filtered.clone().clearSelect().clearOrder().count({ n: '*' }).first()) as { n: number | string };
    const total = Number(countRow.n);
    const rows = (await filtered
      .orderBy(lq.sort.column, lq.sort.order)
      .orderBy(`${def.table}.id`, 'asc')
      .offset(lq.range.start)
      .limit(lq.range.end - lq.range.start + 1)) as Record<string, unknown>[];
    const end = rows.length === 0 ? lq.range.start : lq.range.start + rows.length - 1;
    res.setHeader('Content-Range', `${def.name} ${lq.range.start}-${end}/${total}`);
    res.setHeader('Access-Control-Expose-Headers', 'Content-Range');
    const recs = rows.map(def.toApi);
    res.json(def.enrich ? await def.enrich(recs, db, { lang: lang(req), single: false }) : recs);
  });

  router.get('/:id', async (req, res) => {
    const user = userOf(req);
    const rec = await loadRecord(def, db, req.params.id, { lang: lang(req), single: true });
    await authorizeRecord(def, user.principal, 'show', rec, db);
    res.json(rec);
  });

  if (def.create) {
    router.post('/', async (req, res) => {
      userOf(req);
      res.status(201).json(await createRecord(db, def, actorOf(req), req.body));
    });
  }
  if (def.update) {
    router.put('/:id', async (req, res) => {
      userOf(req);
      res.json(await updateRecord(db, def, actorOf(req), req.params.id, req.body));
    });
  }
  if (def.remove || def.softDelete) {
    router.delete('/:id', async (req, res) => {
      userOf(req);
      res.json(await deleteRecord(db, def, actorOf(req), req.params.id, req.body));
    });
  }
  return router;
}
