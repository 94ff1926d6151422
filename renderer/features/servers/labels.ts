/** The words the Servers screen uses for the contract's enums. */
import type { BulkItemState, BulkJobState, ClientAuthMethod, ProviderKind, TokenHint } from '../../../shared/servers';

export const PROVIDER_LABELS: Record<ProviderKind, string> = {
  oauth: 'Standard OAuth 2.0 / OIDC',
  keycloak: 'Keycloak',
};

export const AUTH_METHOD_LABELS: Record<ClientAuthMethod, string> = {
  client_secret_basic: 'client_secret_basic (HTTP Basic)',
  client_secret_post: 'client_secret_post (in the form body)',
  private_key_jwt: 'private_key_jwt (signed assertion)',
};

export const HINT_LABELS: Record<TokenHint | 'none', string> = {
  none: 'No hint (the server works it out)',
  access_token: 'access_token',
  refresh_token: 'refresh_token',
};

export const JOB_STATE_LABELS: Record<BulkJobState, string> = {
  running: 'Running',
  paused: 'Paused',
  verifying: 'Verifying by introspection',
  cancelled: 'Cancelled',
  finished: 'Finished',
};

/** In the order a responder reads them: the outcome first, the work still to do last. */
export const ITEM_STATE_ORDER: BulkItemState[] = ['inactive', 'acknowledged', 'unsupported', 'failed', 'still_active', 'pending', 'sending', 'cancelled'];

export const ITEM_STATE_LABELS: Record<BulkItemState, string> = {
  inactive: 'Inactive (verified)',
  // RFC 7009 answers 200 for a token it does not know: until introspection says inactive, nothing is confirmed.
  acknowledged: 'Acknowledged, not verified',
  unsupported: 'Unsupported',
  failed: 'Failed',
  still_active: 'Still active',
  pending: 'Pending',
  sending: 'Sending',
  cancelled: 'Cancelled',
};

/** Severity only: what needs a responder's attention when it is not zero. */
export const ITEM_STATE_TONE: Partial<Record<BulkItemState, 'ok' | 'bad' | 'medium'>> = {
  inactive: 'ok',
  failed: 'bad',
  still_active: 'bad',
  unsupported: 'medium',
};

export const ENDPOINT_LABELS: Record<string, string> = {
  token_endpoint: 'Token',
  introspection_endpoint: 'Introspection',
  revocation_endpoint: 'Revocation',
  jwks_uri: 'JWKS',
  userinfo_endpoint: 'UserInfo',
  end_session_endpoint: 'End session',
};
