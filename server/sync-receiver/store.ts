/**
 * The receiving service's own storage: one SQLite file (better-sqlite3), nothing shared with the school's database.
 * - `packets`: every packet answered, by its id, with the SHA-256 of its bytes and the answer given (a retry of
 *   the same packet gets the same answer and stores nothing twice);
 * - `records`: the current state of each record (idbanghi): its phienban, the transcript version, active or
 *   cancelled; `documents`: every accepted document, by record and phienban.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface StoredRecord {
  idbanghi: string;
  schoolCode: string;
  mahocsinh: string;
  phienban: number;
  phienbanhocba: number;
  status: 'active' | 'cancelled';
  sha256: string | null;
  packetId: string;
  updatedAt: string;
}

export interface AcceptedChange {
  idbanghi: string;
  sukien: 'NEW' | 'UPDATE' | 'CANCEL';
  phienban: number;
  phienbanhocba: number;
  mahocsinh: string;
  sha256: string | null;
  xml: string | null;
}

export class ReceiverStore {
  private db: Database.Database;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, 'receiver.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS packets (packet_id TEXT PRIMARY KEY, school_code TEXT NOT NULL, school_year TEXT NOT NULL,
        sha256 TEXT NOT NULL, received_at TEXT NOT NULL, answer TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS records (idbanghi TEXT PRIMARY KEY, school_code TEXT NOT NULL, mahocsinh TEXT NOT NULL,
        phienban INTEGER NOT NULL, phienbanhocba INTEGER NOT NULL, status TEXT NOT NULL, sha256 TEXT, packet_id TEXT NOT NULL,
        updated_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS documents (idbanghi TEXT NOT NULL, phienban INTEGER NOT NULL, xml TEXT NOT NULL,
        packet_id TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (idbanghi, phienban));`);
  }

  packet(packetId: string): { sha256: string; answer: unknown } | null {
    const row = this.db.prepare('SELECT sha256, answer FROM packets WHERE packet_id = ?').get(packetId) as { sha256: string; answer: string } | undefined;
    return row ? { sha256: row.sha256, answer: JSON.parse(row.answer) } : null;
  }

  record(idbanghi: string): StoredRecord | null {
    const r = this.db.prepare('SELECT * FROM records WHERE idbanghi = ?').get(idbanghi) as Record<string, unknown> | undefined;
    if (!r) return null;
    return {
      idbanghi: String(r.idbanghi),
      schoolCode: String(r.school_code),
      mahocsinh: String(r.mahocsinh),
      phienban: Number(r.phienban),
      phienbanhocba: Number(r.phienbanhocba),
      status: r.status as StoredRecord['status'],
      sha256: r.sha256 === null ? null : String(r.sha256),
      packetId: String(r.packet_id),
      updatedAt: String(r.updated_at),
    };
  }

  documentCount(idbanghi: string): number {
    return Number((this.db.prepare('SELECT COUNT(*) AS n FROM documents WHERE idbanghi = ?').get(idbanghi) as { n: number }).n);
  }

  /** The packet, its answer and every accepted change, in one transaction. */
  commit(p: { packetId: string; schoolCode: string; schoolYear: string; sha256: string; answer: unknown }, changes: AcceptedChange[], at: string): void {
    const insertPacket = this.db.prepare('INSERT INTO packets (packet_id, school_code, school_year, sha256, received_at, answer) VALUES (?, ?, ?, ?, ?, ?)');
    const upsert = this.db.prepare(`INSERT INTO records (idbanghi, school_code, mahocsinh, phienban, phienbanhocba, status, sha256, packet_id, updated_at)
      VALUES (@idbanghi, @schoolCode, @mahocsinh, @phienban, @phienbanhocba, @status, @sha256, @packetId, @at)
      ON CONFLICT (idbanghi) DO UPDATE SET phienban = excluded.phienban, phienbanhocba = excluded.phienbanhocba, status = excluded.status,
        sha256 = COALESCE(excluded.sha256, records.sha256), packet_id = excluded.packet_id, updated_at = excluded.updated_at, mahocsinh = excluded.mahocsinh`);
    const doc = this.db.prepare('INSERT INTO documents (idbanghi, phienban, xml, packet_id, received_at) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      insertPacket.run(p.packetId, p.schoolCode, p.schoolYear, p.sha256, at, JSON.stringify(p.answer));
      for (const c of changes) {
        upsert.run({ ...c, schoolCode: p.schoolCode, status: c.sukien === 'CANCEL' ? 'cancelled' : 'active', packetId: p.packetId, at });
        if (c.xml !== null) doc.run(c.idbanghi, c.phienban, c.xml, p.packetId, at);
      }
    })();
  }

  close(): void {
    this.db.close();
  }
}
