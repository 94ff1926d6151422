/** Words for the inventory's codes, as a responder reads them. */
import type { CredentialKind, HealthCode } from '../../../shared/credentials';
import type { CREDENTIAL_STATUSES, LOCATION_KINDS, PROVIDERS } from '../../../shared/credentials';

export const KIND_LABELS: Record<CredentialKind, string> = {
  api_key: 'API key',
  oauth_client: 'OAuth client',
  service_token: 'Service token',
  signing_key: 'Signing key',
  webhook_secret: 'Webhook signing secret',
  refresh_token: 'Refresh token / session',
};

export const PROVIDER_LABELS: Record<(typeof PROVIDERS)[number], string> = {
  stripe: 'Stripe',
  github: 'GitHub',
  slack: 'Slack',
  aws: 'AWS',
  own_auth_server: 'Own auth server',
  other: 'Other',
};

export const STATUS_LABELS: Record<(typeof CREDENTIAL_STATUSES)[number], string> = {
  active: 'Active',
  rotating: 'Rotating',
  revoked: 'Revoked',
  expired: 'Expired',
};

export const LOCATION_LABELS: Record<(typeof LOCATION_KINDS)[number], string> = {
  ci_variable: 'CI variable',
  kubernetes_secret: 'Kubernetes secret',
  env_file: 'Environment file',
  cloud_secret_manager: 'Cloud secret manager',
  partner: 'Partner',
  developer_machine: 'Developer machine',
  browser: 'Browser',
  mobile: 'Mobile app',
  other: 'Other',
};

export const FINDING_LABELS: Record<HealthCode, string> = {
  EXPIRED: 'Expired',
  EXPIRING_7D: 'Expires within 7 days',
  EXPIRING_30D: 'Expires within 30 days',
  STALE: 'Stale',
  NEVER_ROTATED: 'Never rotated',
  NO_OWNER: 'No owner',
  NO_EXPIRY: 'No expiry',
  OVER_BROAD_SCOPES: 'Over-broad scopes',
  SHARED_ACROSS_ENVIRONMENTS: 'Same secret in several environments',
  CLIENT_SIDE_COPY: 'Copy in a browser or mobile app',
  UNUSED_90D: 'Unused for 90 days',
  LOCATIONS_UNCONFIRMED: 'Locations never confirmed',
};

export function options<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}
