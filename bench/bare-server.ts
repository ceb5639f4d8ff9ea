/**
 * The ceiling for bench/grid-read.ts: a bare Express 5 app, in its own process, answering GET /api/gradebook with
 * the same grid object the API answers (`GRID_JSON`), serialised by res.json on every request as the API does.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';

const grid: unknown = JSON.parse(process.env.GRID_JSON!);
const app = express();
app.get('/api/gradebook', (_req, res) => {
  res.json(grid);
});
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
process.send!({ port: (server.address() as AddressInfo).port });
process.on('SIGINT', () => process.exit(0));
