/** An audit event as GET /api/audit-events answers it: the stored row, and the server's description in words. */
export interface AuditEventRow {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  role: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  prevHash: string;
  hash: string;
  actorName?: string | null;
  actorRole?: string | null;
  actionLabel?: string;
  entityLabel?: string;
  target?: string | null;
  summary?: string;
  changes?: string[];
  changeCount?: number;
  reasonText?: string | null;
}
