/**
 * What an edit changed, in words for the credential's history and the audit log: each field that
 * changed with its old and new value (notes only as "edited", they may be long), what was added to
 * or removed from scopes, tags and locations, and whether the secret was replaced (by fingerprint).
 */
import type { CredentialFields } from '../../../shared/credentials';

const NAMES: Record<keyof CredentialFields, string> = {
  name: 'name',
  kind: 'kind',
  provider: 'provider',
  owner: 'owner',
  environment: 'environment',
  tenant: 'tenant',
  scopes: 'scopes',
  createdAt: 'created',
  expiresAt: 'expires',
  lastUsedAt: 'last used',
  lastRotatedAt: 'last rotated',
  rotationPolicyDays: 'rotation policy',
  status: 'status',
  authServerId: 'auth server',
  clientId: 'client id',
  notes: 'notes',
  tags: 'tags',
  locations: 'locations',
};

const MAX_VALUE = 80;

function show(value: unknown): string {
  if (value === null || value === '') return '—';
  const text = String(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function listChange(name: string, before: readonly string[], after: readonly string[]): string | null {
  const added = after.filter((v) => !before.includes(v));
  const removed = before.filter((v) => !after.includes(v));
  if (added.length === 0 && removed.length === 0) return before.join('\n') === after.join('\n') ? null : `${name}: reordered`;
  return `${name}: ${[...added.map((v) => `+${show(v)}`), ...removed.map((v) => `−${show(v)}`)].join(' ')}`;
}

const locationText = (l: CredentialFields['locations'][number]) => `${l.kind} ${l.label} (${l.environment}${l.confirmedAt ? `, confirmed ${l.confirmedAt.slice(0, 10)}` : ''})`;

export function describeChanges(before: CredentialFields, after: CredentialFields): string[] {
  const changes: string[] = [];
  for (const key of Object.keys(NAMES) as (keyof CredentialFields)[]) {
    const name = NAMES[key];
    if (key === 'scopes' || key === 'tags') {
      const change = listChange(name, before[key], after[key]);
      if (change) changes.push(change);
    } else if (key === 'locations') {
      const change = listChange(name, before.locations.map(locationText), after.locations.map(locationText));
      if (change) changes.push(change);
    } else if (key === 'notes') {
      if (before.notes !== after.notes) changes.push('notes: edited');
    } else if (before[key] !== after[key]) {
      changes.push(`${name}: ${show(before[key])} → ${show(after[key])}`);
    }
  }
  return changes;
}
