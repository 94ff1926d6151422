/**
 * The add/edit form's working copy: what the inputs hold, as text, and how it becomes the fields
 * the core accepts. Validation is the contract's own schema, so the form and main never disagree.
 */
import { credentialFields, credentialProblems, secretInput, type CredentialFields, type CredentialSummary } from '../../../shared/credentials';
import { fromDateInput, toDateInput } from './dates';

export interface LocationDraft {
  kind: CredentialFields['locations'][number]['kind'];
  label: string;
  environment: string;
  confirmedAt: string;
}

export interface Draft {
  name: string;
  kind: CredentialFields['kind'];
  provider: CredentialFields['provider'];
  owner: string;
  environment: string;
  tenant: string;
  scopes: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string;
  lastRotatedAt: string;
  rotationPolicyDays: string;
  status: CredentialFields['status'];
  authServerId: string;
  clientId: string;
  notes: string;
  tags: string;
  locations: LocationDraft[];
  secret: string;
}

export function emptyDraft(today: string): Draft {
  return {
    name: '',
    kind: 'api_key',
    provider: 'other',
    owner: '',
    environment: 'production',
    tenant: '',
    scopes: '',
    createdAt: today,
    expiresAt: '',
    lastUsedAt: '',
    lastRotatedAt: '',
    rotationPolicyDays: '',
    status: 'active',
    authServerId: '',
    clientId: '',
    notes: '',
    tags: '',
    locations: [],
    secret: '',
  };
}

export function draftOf(c: CredentialSummary): Draft {
  return {
    name: c.name,
    kind: c.kind,
    provider: c.provider,
    owner: c.owner ?? '',
    environment: c.environment,
    tenant: c.tenant ?? '',
    scopes: c.scopes.join(' '),
    createdAt: toDateInput(c.createdAt),
    expiresAt: toDateInput(c.expiresAt),
    lastUsedAt: toDateInput(c.lastUsedAt),
    lastRotatedAt: toDateInput(c.lastRotatedAt),
    rotationPolicyDays: c.rotationPolicyDays === null ? '' : String(c.rotationPolicyDays),
    status: c.status,
    authServerId: c.authServerId ?? '',
    clientId: c.clientId ?? '',
    notes: c.notes,
    tags: c.tags.join(', '),
    locations: c.locations.map((l) => ({ kind: l.kind, label: l.label, environment: l.environment, confirmedAt: toDateInput(l.confirmedAt) })),
    secret: '',
  };
}

const orNull = (text: string) => (text.trim() === '' ? null : text);

/** The candidate fields, before validation; `original` keeps stored times of day that were not edited. */
function candidate(draft: Draft, original: CredentialSummary | null): unknown {
  return {
    name: draft.name,
    kind: draft.kind,
    provider: draft.provider,
    owner: orNull(draft.owner),
    environment: draft.environment,
    tenant: orNull(draft.tenant),
    scopes: draft.scopes.split(/\s+/).filter(Boolean),
    createdAt: fromDateInput(draft.createdAt, original?.createdAt ?? null) ?? '',
    expiresAt: fromDateInput(draft.expiresAt, original?.expiresAt ?? null),
    lastUsedAt: fromDateInput(draft.lastUsedAt, original?.lastUsedAt ?? null),
    lastRotatedAt: fromDateInput(draft.lastRotatedAt, original?.lastRotatedAt ?? null),
    rotationPolicyDays: draft.rotationPolicyDays.trim() === '' ? null : Number(draft.rotationPolicyDays),
    status: draft.status,
    authServerId: orNull(draft.authServerId),
    clientId: orNull(draft.clientId),
    notes: draft.notes,
    tags: draft.tags.split(',').map((t) => t.trim()).filter(Boolean),
    locations: draft.locations.map((l, i) => ({
      kind: l.kind,
      label: l.label,
      environment: l.environment,
      confirmedAt: fromDateInput(l.confirmedAt, original?.locations[i]?.confirmedAt ?? null),
    })),
  };
}

export interface Checked {
  fields: CredentialFields | null;
  /** Field path (`name`, `locations.0.label`, `secret`) → the first problem with it. */
  errors: Record<string, string>;
}

export function check(draft: Draft, original: CredentialSummary | null): Checked {
  const errors: Record<string, string> = {};
  const parsed = credentialFields.safeParse(candidate(draft, original));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      if (path === 'rotationPolicyDays') errors[path] ??= 'A whole number of days from 1 to 3650';
      else if (path === 'createdAt' && !draft.createdAt) errors[path] ??= 'When was it created? Pick a date';
      else errors[path] ??= issue.message;
    }
  } else {
    for (const problem of credentialProblems(parsed.data, new Date())) errors[problem.path] ??= problem.message;
  }
  if (draft.secret) {
    const secret = secretInput.safeParse(draft.secret);
    if (!secret.success) errors.secret = secret.error.issues[0].message;
  }
  if (draft.kind === 'signing_key' && draft.secret && !/^\s*(-----BEGIN [A-Z ]*PRIVATE KEY-----|\{)/.test(draft.secret)) {
    errors.secret = 'Paste the private key as PEM (-----BEGIN PRIVATE KEY-----) or as a private JWK';
  }
  return { fields: parsed.success && Object.keys(errors).length === 0 ? parsed.data : null, errors };
}
