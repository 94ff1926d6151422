/**
 * The tamper-evident audit log. Each entry's MAC covers the previous entry's MAC, its sequence
 * number and its canonical content, under a key only the unlocked vault holds; the key file anchors
 * the head so deleting entries from the end is caught as well as editing them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditEntry, AuditVerification } from '../../../shared/contract';
import type { Db } from './database';
import type { AuditAnchor } from './keyfile';

export interface AuditInput {
  action: string;
  target?: string | null;
  detail?: Record<string, unknown>;
  actor?: string;
}

function genesisMac(auditKey: Buffer, vaultId: string): Buffer {
  return createHmac('sha256', auditKey).update(`credops-audit-genesis/v1\0${vaultId}`).digest();
}

function entryMac(auditKey: Buffer, previous: Buffer, entry: Omit<AuditEntry, 'detail'> & { detail: unknown }): Buffer {
  const seq = Buffer.alloc(8);
  seq.writeBigUInt64BE(BigInt(entry.seq));
  const body = canonicalize({ seq: entry.seq, at: entry.at, actor: entry.actor, action: entry.action, target: entry.target, detail: entry.detail });
  return createHmac('sha256', auditKey).update(previous).update(seq).update(body ?? '').digest();
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: string;
  mac: Buffer;
}

/** Appends one entry; call inside the transaction of the change it records. */
export function appendAudit(db: Db, auditKey: Buffer, vaultId: string, input: AuditInput, at: Date): AuditAnchor {
  const last = db.prepare('SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; mac: Buffer } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const previous = last?.mac ?? genesisMac(auditKey, vaultId);
  const entry = { seq, at: at.toISOString(), actor: input.actor ?? 'user', action: input.action, target: input.target ?? null, detail: input.detail ?? {} };
  const mac = entryMac(auditKey, previous, entry);
  db.prepare('INSERT INTO audit_log (seq, at, actor, action, target, detail, mac) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    seq,
    entry.at,
    entry.actor,
    entry.action,
    entry.target,
    JSON.stringify(entry.detail),
    mac,
  );
  return { seq, mac: mac.toString('base64') };
}

export function auditHead(db: Db): AuditAnchor {
  const last = db.prepare('SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; mac: Buffer } | undefined;
  return { seq: last?.seq ?? 0, mac: last?.mac.toString('base64') ?? '' };
}

/** Walks the whole chain; with an anchor, also checks the log still reaches it unchanged. */
export function verifyAuditChain(db: Db, auditKey: Buffer, vaultId: string, anchor?: AuditAnchor): AuditVerification {
  let previous = genesisMac(auditKey, vaultId);
  let expectedSeq = 1;
  let anchorMac: Buffer | undefined;
  const rows = db.prepare('SELECT seq, at, actor, action, target, detail, mac FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>;
  for (const row of rows) {
    const broken = (message: string): AuditVerification => ({
      intact: false,
      checked: expectedSeq - 1,
      headSeq: row.seq,
      problem: { code: 'AUDIT_TAMPERED', seq: expectedSeq, message },
    });
    if (row.seq !== expectedSeq) {
      rows.return?.();
      return broken(`Audit entry ${expectedSeq} is missing: entries were deleted from the log.`);
    }
    let detail: unknown;
    try {
      detail = JSON.parse(row.detail);
    } catch {
      rows.return?.();
      return broken(`Audit entry ${row.seq} is unreadable: it was altered.`);
    }
    const mac = entryMac(auditKey, previous, { ...row, detail });
    if (mac.length !== row.mac.length || !timingSafeEqual(mac, row.mac)) {
      rows.return?.();
      return broken(`Audit entry ${row.seq} does not match its chain: it was altered after it was written.`);
    }
    if (anchor && row.seq === anchor.seq) anchorMac = mac;
    previous = mac;
    expectedSeq += 1;
  }
  const headSeq = expectedSeq - 1;
  if (anchor && anchor.seq > headSeq) {
    return {
      intact: false,
      checked: headSeq,
      headSeq,
      problem: {
        code: 'AUDIT_TRUNCATED',
        seq: headSeq + 1,
        message: `The audit log ends at entry ${headSeq} but the key file records entry ${anchor.seq}: entries were removed or an older vault file was put back.`,
      },
    };
  }
  if (anchor && anchor.seq > 0 && (!anchorMac || anchorMac.toString('base64') !== anchor.mac)) {
    return {
      intact: false,
      checked: headSeq,
      headSeq,
      problem: { code: 'AUDIT_TAMPERED', seq: anchor.seq, message: `Audit entry ${anchor.seq} differs from the one the key file recorded: the log was rewritten.` },
    };
  }
  return { intact: true, checked: headSeq, headSeq };
}

export function listAudit(db: Db, limit: number, beforeSeq?: number): { entries: AuditEntry[]; total: number } {
  const rows = db
    .prepare('SELECT seq, at, actor, action, target, detail FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?')
    .all(beforeSeq ?? Number.MAX_SAFE_INTEGER, limit) as Omit<AuditRow, 'mac'>[];
  const total = (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
  return { entries: rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> })), total };
}
