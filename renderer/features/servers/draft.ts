/**
 * The Add / Edit server form's working copy, as text, and how it becomes the input the core
 * accepts. Validation is the contract's own schema, so the form and main never disagree.
 */
import { serverInput, type ClientAuthMethod, type ProviderKind, type ServerFields, type ServerSummary } from '../../../shared/servers';

export interface ServerDraft {
  name: string;
  issuer: string;
  provider: ProviderKind;
  realm: string;
  clientId: string;
  authMethod: ClientAuthMethod;
  signingCredentialId: string;
  clientSecret: string;
  extraCaPem: string;
}

export const emptyServerDraft = (): ServerDraft => ({
  name: '',
  issuer: '',
  provider: 'oauth',
  realm: '',
  clientId: '',
  authMethod: 'client_secret_basic',
  signingCredentialId: '',
  clientSecret: '',
  extraCaPem: '',
});

export function serverDraftOf(s: ServerSummary): ServerDraft {
  return {
    name: s.name,
    issuer: s.issuer,
    provider: s.provider,
    realm: s.realm ?? '',
    clientId: s.clientId,
    authMethod: s.authMethod,
    signingCredentialId: s.signingCredentialId ?? '',
    clientSecret: '',
    extraCaPem: s.extraCaPem ?? '',
  };
}

export const usesSecret = (method: ClientAuthMethod) => method !== 'private_key_jwt';

export interface CheckedServer {
  input: { fields: ServerFields; clientSecret?: string } | null;
  /** Field name (`name`, `realm`, `clientSecret`) → the first problem with it. */
  errors: Record<string, string>;
}

/** `editing`: a stored secret is kept when none is typed; adding with a secret method needs one. */
export function checkServer(draft: ServerDraft, editing: ServerSummary | null): CheckedServer {
  const secret = usesSecret(draft.authMethod) && draft.clientSecret !== '' ? draft.clientSecret : undefined;
  const candidate = {
    fields: {
      name: draft.name,
      issuer: draft.issuer,
      provider: draft.provider,
      realm: draft.provider === 'keycloak' ? draft.realm : null,
      clientId: draft.clientId,
      authMethod: draft.authMethod,
      signingCredentialId: draft.authMethod === 'private_key_jwt' ? draft.signingCredentialId || null : null,
      extraCaPem: draft.extraCaPem.trim() === '' ? null : draft.extraCaPem,
    },
    ...(secret === undefined ? {} : { clientSecret: secret }),
  };
  const errors: Record<string, string> = {};
  const parsed = serverInput.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path[0] === 'fields' ? String(issue.path[1] ?? 'fields') : String(issue.path[0] ?? 'form');
      errors[path] ??= issue.message;
    }
  }
  const needsSecret = usesSecret(draft.authMethod) && secret === undefined && (!editing || !usesSecret(editing.authMethod) || editing.secretFingerprint === null);
  if (needsSecret) errors.clientSecret ??= `Enter the client secret: ${draft.authMethod} sends it with every call`;
  return { input: parsed.success && Object.keys(errors).length === 0 ? parsed.data : null, errors };
}
