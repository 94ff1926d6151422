/** The inspector's policy profiles, kept in the vault; every change is audited. */
import { randomUUID } from 'node:crypto';
import { EMPTY_POLICY, tokenPolicy, type SavedPolicy, type TokenPolicy, type UnreadablePolicy } from '../../../shared/tokens';
import { CoreError } from '../errors';
import { describeIssues } from '../describe-issues';
import type { OpenVault } from '../vault/open-vault';

interface Row {
  id: string;
  name: string;
  policy: string;
  updated_at: string;
}

/**
 * A stored profile read back through the contract's schema, so one a bug or an older version wrote
 * wrongly is never checked against in part. Fields added since it was saved take their defaults.
 */
function readRow(row: Row): SavedPolicy | UnreadablePolicy {
  let stored: unknown;
  try {
    stored = JSON.parse(row.policy);
  } catch {
    return { id: row.id, name: row.name, reason: 'it is not JSON' };
  }
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return { id: row.id, name: row.name, reason: 'it is not an object' };
  const checked = tokenPolicy.safeParse({ ...EMPTY_POLICY, ...stored });
  if (!checked.success) return { id: row.id, name: row.name, reason: describeIssues(checked.error.issues) };
  return { id: row.id, name: row.name, policy: checked.data, updatedAt: row.updated_at };
}

export function listPolicies(vault: OpenVault): { policies: SavedPolicy[]; unreadable: UnreadablePolicy[] } {
  const policies: SavedPolicy[] = [];
  const unreadable: UnreadablePolicy[] = [];
  for (const row of vault.db.prepare('SELECT * FROM token_policies ORDER BY name COLLATE NOCASE').all() as Row[]) {
    const read = readRow(row);
    if ('policy' in read) policies.push(read);
    else unreadable.push(read);
  }
  return { policies, unreadable };
}

function toSaved(row: Row): SavedPolicy {
  const read = readRow(row);
  // Only written through the schema a moment ago: failing here is a bug, not the user's input.
  if (!('policy' in read)) throw new Error(`policy ${row.id} does not read back: ${read.reason}`);
  return read;
}

export function savePolicy(vault: OpenVault, id: string | undefined, name: string, policy: TokenPolicy, now: Date): SavedPolicy {
  const policyId = id ?? randomUUID();
  const at = now.toISOString();
  vault.write((tx) => {
    if (id && !tx.db.prepare('SELECT 1 FROM token_policies WHERE id = ?').get(id)) throw new CoreError('POLICY_NOT_FOUND', 'That policy no longer exists. Reload the list.');
    try {
      tx.db
        .prepare('INSERT INTO token_policies (id, name, policy, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, policy = excluded.policy, updated_at = excluded.updated_at')
        .run(policyId, name, JSON.stringify(policy), at);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        // The one holding the name may be unreadable, and so not offered for editing.
        const holder = tx.db.prepare('SELECT * FROM token_policies WHERE lower(name) = lower(?)').get(name) as Row | undefined;
        if (holder && !('policy' in readRow(holder))) throw new CoreError('POLICY_DUPLICATE', `The saved policy "${holder.name}" holds that name but no longer reads as a policy. Delete it (the Inspector names it above the form), or choose another name.`);
        throw new CoreError('POLICY_DUPLICATE', `A policy named "${name}" already exists. Choose another name or edit that one.`);
      }
      throw error;
    }
    tx.audit({ action: id ? 'tokenPolicy.changed' : 'tokenPolicy.created', target: policyId, detail: { name } });
  });
  return toSaved(vault.db.prepare('SELECT * FROM token_policies WHERE id = ?').get(policyId) as Row);
}

export function deletePolicy(vault: OpenVault, id: string): void {
  vault.write((tx) => {
    const row = tx.db.prepare('SELECT name FROM token_policies WHERE id = ?').get(id) as { name: string } | undefined;
    if (!row) throw new CoreError('POLICY_NOT_FOUND', 'That policy no longer exists. Reload the list.');
    tx.db.prepare('DELETE FROM token_policies WHERE id = ?').run(id);
    tx.audit({ action: 'tokenPolicy.deleted', target: id, detail: { name: row.name } });
  });
}
