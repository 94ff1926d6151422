/**
 * Opaque credentials recognised by their documented format: whose they are, how serious the exposure
 * is, and where to revoke or rotate them. Pure and bounded: a token is matched whole (after stray
 * quotes and a `Bearer` prefix are removed) and only when it is short enough to be one; key files
 * are searched for in the first 64 KiB. Every pattern is anchored with bounded repeats, so the cost
 * does not grow with the paste.
 */
import type { TokenFinding } from '../../../shared/tokens';

export interface OpaqueToken {
  /** What it is, for a person: `Stripe secret key (live mode)`. */
  format: string;
  provider: string;
  /** What to do about it, in a sentence or two a responder can act on. */
  advice: string;
}

export interface OpaqueTokenMatch {
  token: OpaqueToken;
  /** How bad its exposure is: high for live long-lived secrets, low for test mode, info for public keys. */
  severity: TokenFinding['severity'];
  /** The format's published prefix (`ghp_`, `sk_live_`, `AKIA`), which says nothing secret; empty for key files. */
  prefix: string;
  /** A key file rather than a token: `protected` when a passphrase encrypts it. */
  keyFile: 'plain' | 'protected' | null;
  /** A value printed in its provider's documentation, not anyone's credential. */
  example: boolean;
}

/** Longer than any token format below (Google access tokens are the longest, up to 2048). */
const MAX_TOKEN_CHARS = 4096;
/** How far into a paste a key file (PEM block, service-account JSON, PuTTY key) is looked for. */
const MAX_KEY_FILE_SCAN = 64 * 1024;

interface Rule {
  pattern: RegExp;
  provider: string;
  format: string;
  severity: OpaqueTokenMatch['severity'];
  advice: string;
}

const GITHUB_REVOKE_API = 'or, if it is not yours, submit it to POST https://api.github.com/credentials/revoke and GitHub notifies the owner';
const GITHUB_INSTALLATION = 'It expires one hour after issue; end it now with DELETE /installation/token sent with the token itself. If the app\'s private key leaked too, generate a new one in the app settings and delete the old one.';
const GITLAB_AUDIT = 'then review the audit events for its use.';
const STRIPE_TEST = 'Test-mode keys cannot move money, but they read test data and identify the account.';

const TOKEN_RULES: readonly Rule[] = [
  // GitHub: prefix + base62; GitHub documents that lengths may grow, up to 255 characters.
  { pattern: /^ghp_[A-Za-z0-9]{36,251}$/, provider: 'GitHub', format: 'GitHub personal access token (classic)', severity: 'high', advice: `Revoke it at github.com/settings/tokens ${GITHUB_REVOKE_API}; then review the owner's security log and the audit log of every organisation it reaches.` },
  { pattern: /^github_pat_[A-Za-z0-9]{22,60}_[A-Za-z0-9]{59,180}$/, provider: 'GitHub', format: 'GitHub fine-grained personal access token', severity: 'high', advice: `Revoke it at github.com/settings/personal-access-tokens (organisation owners can revoke it under the organisation's personal access token settings) ${GITHUB_REVOKE_API}; then review the audit log of the repositories it was granted.` },
  { pattern: /^gho_[A-Za-z0-9]{36,251}$/, provider: 'GitHub', format: 'GitHub OAuth app access token', severity: 'high', advice: `Revoke the grant: the user at github.com/settings/applications, or the app owner with DELETE /applications/{client_id}/token, ${GITHUB_REVOKE_API}; then review the user's security log.` },
  { pattern: /^ghu_[A-Za-z0-9]{36,251}$/, provider: 'GitHub', format: 'GitHub App user access token', severity: 'medium', advice: 'It expires 8 hours after issue unless the app disabled expiry. End it now: the user revokes the app at github.com/settings/apps/authorizations, or the app owner calls DELETE /applications/{client_id}/token; revoke its ghr_ refresh token too.' },
  { pattern: /^ghs_[A-Za-z0-9]{36,251}$/, provider: 'GitHub', format: 'GitHub App installation access token', severity: 'medium', advice: GITHUB_INSTALLATION },
  // Since April 2026, `ghs_<app id>_<JWT>` (about 520 characters): the JWT is GitHub's own, not for clients to verify.
  { pattern: /^ghs_\d{1,20}_[A-Za-z0-9_-]{10,1000}\.[A-Za-z0-9_-]{10,2000}\.[A-Za-z0-9_-]{10,1000}$/, provider: 'GitHub', format: 'GitHub App installation access token (stateless format)', severity: 'medium', advice: GITHUB_INSTALLATION },
  { pattern: /^ghr_[A-Za-z0-9]{36,251}$/, provider: 'GitHub', format: 'GitHub App refresh token', severity: 'high', advice: 'It mints new user tokens for six months: have the user revoke the app at github.com/settings/apps/authorizations, or the app owner delete the grant with DELETE /applications/{client_id}/grant.' },

  // GitLab: the prefixes from its token overview. Routable tokens (17.x) end in `.<2-char length><7-char CRC>`,
  // and the versioned form puts `.<2-char version>` before that.
  { pattern: /^glpat-(?:[\w-]{20}|[\w-]{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{9})$/, provider: 'GitLab', format: 'GitLab personal, project or group access token', severity: 'high', advice: `Revoke it in User settings → Access tokens (or the project's or group's Settings → Access tokens); an administrator can find its owner with POST /api/v4/admin/token; ${GITLAB_AUDIT}` },
  { pattern: /^gldt-[\w-]{20}$/, provider: 'GitLab', format: 'GitLab deploy token', severity: 'high', advice: `Revoke it in the project's or group's Settings → Repository → Deploy tokens: it reads (and may write) the repository, registry and packages; ${GITLAB_AUDIT}` },
  { pattern: /^glrt-(?:[\w-]{20}|t\d_[\w-]{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{9})$/, provider: 'GitLab', format: 'GitLab runner authentication token', severity: 'high', advice: 'Whoever holds it can pose as the runner and receive CI jobs with their secrets: reset the runner\'s token (POST /runners/reset_authentication_token) or delete the runner, then review the jobs it ran.' },
  { pattern: /^GR1348941[\w-]{20}$/, provider: 'GitLab', format: 'GitLab runner registration token (deprecated)', severity: 'high', advice: 'Reset the registration token in Settings → CI/CD → Runners, remove runners you did not add, and move to runner authentication tokens.' },
  { pattern: /^glptt-[0-9a-f]{40}$/, provider: 'GitLab', format: 'GitLab pipeline trigger token', severity: 'high', advice: `Revoke it in the project's Settings → CI/CD → Pipeline trigger tokens: it starts pipelines as its owner; ${GITLAB_AUDIT}` },
  { pattern: /^glft-[\w-]{20}$/, provider: 'GitLab', format: 'GitLab feed token', severity: 'medium', advice: 'Reset it in User settings → Access tokens → Feed token: it reads the user\'s RSS and calendar feeds, including confidential issues.' },
  { pattern: /^glimt-[\w-]{25}$/, provider: 'GitLab', format: 'GitLab incoming email token', severity: 'medium', advice: 'Reset it in User settings → Access tokens: it lets anyone create issues and merge requests by email as the user.' },
  { pattern: /^gloas-[\w-]{64}$/, provider: 'GitLab', format: 'GitLab OAuth application secret', severity: 'high', advice: 'Renew the secret in the application\'s settings (User, Group or Admin area → Applications → Renew secret) and update the client that uses it.' },
  { pattern: /^glagent-[\w-]{50}$/, provider: 'GitLab', format: 'GitLab agent for Kubernetes token', severity: 'high', advice: 'Revoke it under Operate → Kubernetes clusters → the agent → Access tokens and register a new one: it connects a cluster to the project.' },
  { pattern: /^glcbt-(?:[A-Za-z0-9]{1,5}_)?[\w-]{20}$/, provider: 'GitLab', format: 'GitLab CI/CD job token', severity: 'medium', advice: 'It is valid only while its job runs: cancel the job if it is still running, and check the projects the job token allowlist lets it reach.' },
  { pattern: /^glsoat-[\w-]{20}$/, provider: 'GitLab', format: 'GitLab SCIM token', severity: 'high', advice: 'Reset the SCIM token in the group\'s Settings → SAML SSO: it provisions and removes users.' },
  { pattern: /^glffct-[\w-]{20}$/, provider: 'GitLab', format: 'GitLab feature flags client token', severity: 'low', advice: 'Reset it in Deploy → Feature flags → Configure: it reveals the project\'s feature flags and user lists.' },

  // Stripe: documented as up to 255 characters; the shortest in use are 24 after the prefix.
  { pattern: /^sk_live_[A-Za-z0-9]{24,247}$/, provider: 'Stripe', format: 'Stripe secret key (live mode)', severity: 'high', advice: 'Roll it in the Stripe dashboard (Developers → API keys → Roll key), update every service that uses it, and review the request logs: a live secret key can create charges, refunds and payouts.' },
  { pattern: /^sk_test_[A-Za-z0-9]{24,247}$/, provider: 'Stripe', format: 'Stripe secret key (test mode)', severity: 'low', advice: `Roll it in the Stripe dashboard (Developers → API keys, test mode). ${STRIPE_TEST}` },
  { pattern: /^rk_live_[A-Za-z0-9]{24,247}$/, provider: 'Stripe', format: 'Stripe restricted key (live mode)', severity: 'high', advice: 'Roll or delete it in the Stripe dashboard (Developers → API keys → Restricted keys); it has only the permissions it was created with, so read those to scope the exposure, and review the request logs.' },
  { pattern: /^rk_test_[A-Za-z0-9]{24,247}$/, provider: 'Stripe', format: 'Stripe restricted key (test mode)', severity: 'low', advice: `Roll or delete it in the Stripe dashboard (Developers → API keys, test mode). ${STRIPE_TEST}` },
  { pattern: /^pk_live_[A-Za-z0-9]{24,247}$/, provider: 'Stripe', format: 'Stripe publishable key (live mode)', severity: 'info', advice: 'Publishable keys are meant to ship in web and mobile clients and cannot read data or move money: nothing to revoke. Check that the matching secret key (sk_live_…) was not exposed with it.' },
  { pattern: /^pk_test_[A-Za-z0-9]{24,247}$/, provider: 'Stripe', format: 'Stripe publishable key (test mode)', severity: 'info', advice: 'A test-mode publishable key is public by design and cannot move money: nothing to revoke.' },
  { pattern: /^whsec_[A-Za-z0-9+/=]{24,100}$/, provider: 'Stripe', format: 'Webhook signing secret (Stripe, or a Svix-based sender)', severity: 'high', advice: 'Whoever holds it can forge events your endpoint will accept: roll it on the endpoint (Stripe: Developers → Webhooks → the endpoint → Roll secret) and update the receiver.' },

  // Slack: token types from its token-types page.
  { pattern: /^xoxb-\d{8,14}-(?:\d{8,14}-)?[A-Za-z0-9]{18,34}$/, provider: 'Slack', format: 'Slack bot token', severity: 'high', advice: 'Revoke it with auth.revoke (called with the token itself) or reinstall the app at api.slack.com/apps to issue a new one, then check the workspace access logs.' },
  { pattern: /^xoxp-\d{8,14}-\d{8,14}-\d{8,14}-[A-Za-z0-9]{28,34}$/, provider: 'Slack', format: 'Slack user token', severity: 'high', advice: 'It acts as the user who installed the app: revoke it with auth.revoke or have the user remove the app (workspace → Manage apps), then check the access logs.' },
  { pattern: /^xoxe\.xox[bp]-\d-[A-Za-z0-9]{150,200}$/, provider: 'Slack', format: 'Slack expiring access token (token rotation or app configuration)', severity: 'medium', advice: 'It expires within 12 hours; revoke it now with auth.revoke and revoke the xoxe- refresh token that mints new ones.' },
  { pattern: /^xoxe-\d-[A-Za-z0-9]{140,200}$/, provider: 'Slack', format: 'Slack refresh token (token rotation or app configuration)', severity: 'high', advice: 'It mints new access tokens: revoke configuration tokens at api.slack.com/apps (Your App Configuration Tokens → Revoke); for rotating app tokens, revoke them with auth.revoke or reinstall the app.' },
  { pattern: /^xoxa-(?:\d-)?[A-Za-z0-9-]{20,160}$/, provider: 'Slack', format: 'Slack workspace app access token (legacy)', severity: 'high', advice: 'Revoke it with auth.revoke or uninstall the workspace app, and move the integration to a current Slack app.' },
  { pattern: /^xoxr-(?:\d-)?[A-Za-z0-9-]{20,160}$/, provider: 'Slack', format: 'Slack refresh token (legacy workspace app)', severity: 'high', advice: 'It mints new workspace app tokens: uninstall the workspace app to end it, and move the integration to a current Slack app.' },
  { pattern: /^xoxc-\d{8,14}-\d{8,14}-\d{8,14}-[a-f0-9]{64}$/, provider: 'Slack', format: 'Slack browser session token (xoxc, used with the "d" cookie)', severity: 'high', advice: 'It is a signed-in Slack session, taken from a browser or the desktop app: sign the user out of every session (an admin can reset them with admin.users.session.reset) and review the access logs for where it was used.' },
  { pattern: /^xapp-\d-A[A-Z0-9]{6,14}-\d{8,16}-[a-f0-9]{32,80}$/, provider: 'Slack', format: 'Slack app-level token', severity: 'high', advice: 'It opens Socket Mode connections for the app: revoke it at api.slack.com/apps → the app → Basic Information → App-Level Tokens and create a new one.' },
  { pattern: /^(?:https?:\/\/)?hooks\.slack\.com\/services\/T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{20,32}$/, provider: 'Slack', format: 'Slack incoming webhook URL', severity: 'medium', advice: 'Whoever has the URL can post into its channel: remove the webhook on the app\'s Incoming Webhooks page (api.slack.com/apps) and add a new one.' },
  { pattern: /^(?:https?:\/\/)?hooks\.slack\.com\/(?:workflows|triggers)\/T[A-Z0-9]{6,12}\/[A-Za-z0-9/]{20,160}$/, provider: 'Slack', format: 'Slack workflow webhook URL', severity: 'medium', advice: 'Whoever has the URL can start the workflow: delete its webhook trigger in Workflow Builder and create a new one.' },

  // AWS: key IDs are a 4-letter type prefix and 16 base32 characters.
  { pattern: /^AKIA[A-Z2-7]{16}$/, provider: 'AWS', format: 'AWS access key ID (long-term IAM key)', severity: 'high', advice: 'This is the public half: the 40-character secret access key is the other half and is usually stored beside it. If the secret may be exposed, deactivate the key in IAM (aws iam update-access-key --status Inactive), check CloudTrail for its use, then delete it and issue a new one.' },
  { pattern: /^ASIA[A-Z2-7]{16}$/, provider: 'AWS', format: 'AWS temporary access key ID (STS session)', severity: 'medium', advice: 'Part of temporary credentials (with a secret key and a session token) that expire on their own, within 36 hours at most, and cannot be revoked one by one: if the secret and session token leaked too, revoke the role\'s active sessions (IAM → Roles → Revoke active sessions) and check CloudTrail.' },

  // Google.
  { pattern: /^AIza[A-Za-z0-9_-]{35}$/, provider: 'Google', format: 'Google API key', severity: 'high', advice: 'Regenerate or delete it in Google Cloud console → APIs & Services → Credentials, restrict the replacement to the APIs and apps that need it, and check the project\'s API metrics and billing. Keys of Firebase web apps are public by design: restrict those rather than rotate.' },
  { pattern: /^ya29\.[\w.-]{30,2048}$/, provider: 'Google', format: 'Google OAuth access token', severity: 'medium', advice: 'It expires about an hour after issue; revoke it now (POST https://oauth2.googleapis.com/revoke with token=…) and have the user remove the app\'s access at myaccount.google.com/permissions if the grant is not trusted.' },
  { pattern: /^1\/\/0[A-Za-z0-9_-]{30,500}$/, provider: 'Google', format: 'Google OAuth refresh token', severity: 'high', advice: 'It mints access tokens until revoked: revoke it (POST https://oauth2.googleapis.com/revoke with token=…) or have the user remove the app\'s access at myaccount.google.com/permissions.' },
  { pattern: /^GOCSPX-[A-Za-z0-9_-]{28}$/, provider: 'Google', format: 'Google OAuth client secret', severity: 'high', advice: 'Add a new secret to the OAuth client (Google Cloud console → APIs & Services → Credentials), switch the application to it, then disable and delete the old one.' },

  // OpenAI and Anthropic: `sk-` keys. Legacy OpenAI keys carry base64("OpenAI") in the middle.
  { pattern: /^sk-proj-[A-Za-z0-9_-]{40,300}$/, provider: 'OpenAI', format: 'OpenAI project API key', severity: 'high', advice: 'Delete it at platform.openai.com/api-keys, create a new one, and check the project\'s usage for requests you did not make.' },
  { pattern: /^sk-svcacct-[A-Za-z0-9_-]{40,300}$/, provider: 'OpenAI', format: 'OpenAI service account key', severity: 'high', advice: 'Delete the service account\'s key in the project settings at platform.openai.com, create a new one, and check the project\'s usage.' },
  { pattern: /^sk-admin-[A-Za-z0-9_-]{40,300}$/, provider: 'OpenAI', format: 'OpenAI admin key', severity: 'high', advice: 'It manages the whole organisation: delete it under Organization settings → Admin keys at platform.openai.com and review the audit log for changes to members, projects and keys.' },
  { pattern: /^sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}$/, provider: 'OpenAI', format: 'OpenAI API key (legacy user key)', severity: 'high', advice: 'Delete it at platform.openai.com/api-keys, create a project key instead, and check usage for requests you did not make.' },
  { pattern: /^sk-None-[A-Za-z0-9_-]{20,80}T3BlbkFJ[A-Za-z0-9_-]{20,80}$/, provider: 'OpenAI', format: 'OpenAI API key (user key with no project)', severity: 'high', advice: 'Delete it at platform.openai.com/api-keys, create a project key instead, and check usage for requests you did not make.' },
  { pattern: /^sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,120}$/, provider: 'Anthropic', format: 'Anthropic API key', severity: 'high', advice: 'Delete it in the Claude Console (console.anthropic.com → API keys), create a new one, and check usage for requests you did not make.' },

  // Package registries and others.
  { pattern: /^npm_[A-Za-z0-9]{36}$/, provider: 'npm', format: 'npm access token', severity: 'high', advice: 'Revoke it at npmjs.com → Access Tokens (or npm token revoke <id>), then check the packages it could publish for versions you did not release.' },
  { pattern: /^pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}$/, provider: 'PyPI', format: 'PyPI API token', severity: 'high', advice: 'Remove it at pypi.org/manage/account/token/ and check the projects it covers for releases you did not make.' },
  { pattern: /^pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_-]{50,1000}$/, provider: 'PyPI', format: 'TestPyPI API token', severity: 'low', advice: 'Remove it at test.pypi.org/manage/account/token/; TestPyPI packages are not installed by default, so the exposure is small.' },
  { pattern: /^SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/, provider: 'SendGrid', format: 'SendGrid API key', severity: 'high', advice: 'Delete it in SendGrid → Settings → API Keys, create a new one with only the scopes needed, and check Activity for mail you did not send.' },
  { pattern: /^shpat_[a-fA-F0-9]{32}$/, provider: 'Shopify', format: 'Shopify Admin API access token', severity: 'high', advice: 'Rotate it by uninstalling and reinstalling the app (Shopify admin → Settings → Apps and sales channels → Develop apps), and review recent orders, customers and staff changes.' },
  { pattern: /^shpca_[a-fA-F0-9]{32}$/, provider: 'Shopify', format: 'Shopify custom app access token', severity: 'high', advice: 'Rotate it by uninstalling and reinstalling the custom app (Shopify admin → Settings → Apps and sales channels), and review recent store changes.' },
  { pattern: /^shppa_[a-fA-F0-9]{32}$/, provider: 'Shopify', format: 'Shopify private app password', severity: 'high', advice: 'Private apps are deprecated: delete the private app in Shopify admin (which ends the password) and move the integration to a custom app.' },
  { pattern: /^shpss_[a-fA-F0-9]{32}$/, provider: 'Shopify', format: 'Shopify app shared secret', severity: 'high', advice: 'It verifies the app\'s webhooks and OAuth requests: rotate the client secret in the Partner Dashboard (or the app\'s API credentials) and update the app.' },
  { pattern: /^hf_[A-Za-z]{34}$/, provider: 'Hugging Face', format: 'Hugging Face user access token', severity: 'high', advice: 'Invalidate it at huggingface.co/settings/tokens (Manage → Invalidate and refresh): depending on its role it reads or writes the user\'s private models, datasets and Spaces; check their recent commits.' },
  { pattern: /^api_org_[A-Za-z]{34}$/, provider: 'Hugging Face', format: 'Hugging Face organization API token (legacy)', severity: 'high', advice: 'Organization API tokens are deprecated: regenerate it in the organization\'s settings and move to user access tokens with fine-grained permissions.' },
];

const PASETO_BEARER = 'Treat it as a bearer token: whoever holds it can use it until its exp, so revoke it with its issuer if it leaked.';

/**
 * Token formats that are no provider's own and no JWT, which an application signs with a key of its
 * own. The inspector names them; the leak finder does not look for them, as it looks for credentials by provider.
 */
const FORMAT_RULES: readonly Rule[] = [
  // PASETO (paseto.io): version, purpose, payload, optional footer. A public payload is the claims then the signature.
  { pattern: /^v[1-4]\.public\.[A-Za-z0-9_-]{86,4000}(?:\.[A-Za-z0-9_-]{1,1000})?$/, provider: 'PASETO', format: 'signed token (public purpose)', severity: 'medium', advice: `Signed, not encrypted: its claims (JSON, before the signature in the third part) are readable by anyone who holds it. CredOps does not verify PASETO; check it with the issuer's public key in a PASETO library. ${PASETO_BEARER}` },
  { pattern: /^v[1-4]\.local\.[A-Za-z0-9_-]{40,4000}(?:\.[A-Za-z0-9_-]{1,1000})?$/, provider: 'PASETO', format: 'encrypted token (local purpose)', severity: 'medium', advice: `Encrypted with its issuer's symmetric key: only the issuer reads or checks it (the footer, if any, is readable). ${PASETO_BEARER}` },
  // itsdangerous's TimestampSigner, as Flask's session cookie: a JSON object (zlib-compressed after a dot), a 4-byte
  // timestamp, an HMAC (SHA-1 by default, 27 characters; SHA-256, 43). Discord's tokens have the same shape, with a user id first.
  {
    pattern: /^(?:\.[A-Za-z0-9_-]{2,4000}|e[wy][A-Za-z0-9_-]{1,4000})\.[A-Za-z0-9_-]{6}\.(?:[A-Za-z0-9_-]{27}|[A-Za-z0-9_-]{43})$/,
    provider: 'itsdangerous',
    format: 'timestamp-signed value, as Flask keeps its session cookie',
    severity: 'medium',
    advice: "Signed, not encrypted: its data (the first part, base64url JSON, zlib-compressed when the value begins with a dot) is readable by anyone who holds it. Whoever knows the application's SECRET_KEY can forge any session: if the cookie leaked, end that session; if the key leaked, rotate SECRET_KEY, which ends every session.",
  },
];

/** Opaque values published in documentation and tutorials; real-looking, never anyone's secret. */
export const DOCUMENTATION_EXAMPLES: ReadonlyMap<string, { provider: string; format: string }> = new Map([
  ['AKIAIOSFODNN7EXAMPLE', { provider: 'AWS', format: 'AWS access key ID' }],
  ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', { provider: 'AWS', format: 'AWS secret access key' }],
  ['sk_test_4eC39HqLyjWDarjtT1zdp7dc', { provider: 'Stripe', format: 'Stripe secret key (test mode)' }],
  ['sk_test_BQokikJOvBiI2HlWgH4olfQ2', { provider: 'Stripe', format: 'Stripe secret key (test mode)' }],
  ['pk_test_TYooMQauvdEDq54NiTphI7jx', { provider: 'Stripe', format: 'Stripe publishable key (test mode)' }],
]);

const PEM_PRIVATE_KEY = /-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |ANY )?PRIVATE KEY|PGP PRIVATE KEY BLOCK)-----/;
const SSH2_PRIVATE_KEY = /---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----/;
const PUTTY_KEY = /^PuTTY-User-Key-File-[23]: *[\w@.-]{1,64}\r?$/m;
const PUTTY_ENCRYPTION = /^Encryption: *([\w-]{1,32})\r?$/m;
const SERVICE_ACCOUNT = /"type"\s{0,8}:\s{0,8}"service_account"/;
const SERVICE_ACCOUNT_KEY_ID = /"private_key_id"\s{0,8}:\s{0,8}"([0-9a-f]{40})"/;
const SERVICE_ACCOUNT_EMAIL = /"client_email"\s{0,8}:\s{0,8}"([\w.@-]{3,200})"/;
const LEADING_WRAPPER = /^(?:authorization:\s*)?(?:bearer|token)\s+/i;
const BASE64_NOISE = /\\n|\s/g;

const PEM_FORMATS: Record<string, { format: string; provider: string }> = {
  'RSA PRIVATE KEY': { format: 'RSA private key (PKCS #1 PEM)', provider: 'Private key' },
  'DSA PRIVATE KEY': { format: 'DSA private key (PEM)', provider: 'Private key' },
  'EC PRIVATE KEY': { format: 'EC private key (SEC 1 PEM)', provider: 'Private key' },
  'OPENSSH PRIVATE KEY': { format: 'OpenSSH private key', provider: 'SSH' },
  'ENCRYPTED PRIVATE KEY': { format: 'Encrypted private key (PKCS #8 PEM)', provider: 'Private key' },
  'ANY PRIVATE KEY': { format: 'Private key (PEM)', provider: 'Private key' },
  'PRIVATE KEY': { format: 'Private key (PKCS #8 PEM)', provider: 'Private key' },
  'PGP PRIVATE KEY BLOCK': { format: 'OpenPGP private key block', provider: 'OpenPGP' },
};

const ROTATE_KEY = 'Treat the key as compromised: find everything that trusts its public half (TLS certificates, JWKS, code signing), issue a new key pair, switch over, then revoke the old certificate or remove the old public key.';
const ROTATE_SSH_KEY = 'Treat the key as compromised: remove its public key from every authorized_keys file, deploy key and Git host account that trusts it, and issue a new key pair.';
const ROTATE_PGP_KEY = 'Treat the key as compromised: publish a revocation certificate for it, issue a new key, and tell the people who encrypt to it or check its signatures.';
const EXAMPLE_ADVICE = 'A documentation example: nothing to revoke. Where it was found in code or configuration, the real credential it stands for may be elsewhere.';
const PASSPHRASE_NOTE = 'It is passphrase-protected, which only slows an attacker down. ';

/** The literal text a rule's pattern starts with: `^sk_live_[A-Za-z0-9]…` gives `sk_live_`, `^ya29\\.…` gives `ya29.`. */
function literalPrefix(pattern: RegExp): string {
  let prefix = '';
  const source = pattern.source;
  for (let i = 1; i < source.length; i++) {
    let char = source[i];
    if (char === '\\' && /[./_-]/.test(source[i + 1] ?? '')) char = source[++i];
    else if (!/[\w-]/.test(char)) break;
    // A character made optional or repeated by what follows is not part of every token.
    if (/[?*+{]/.test(source[i + 1] ?? '')) break;
    prefix += char;
  }
  return prefix;
}

/** The paste without surrounding whitespace, quotes, or an `Authorization: Bearer` prefix. */
function unwrap(text: string): string {
  let candidate = text.trim();
  const first = candidate[0];
  if (candidate.length >= 2 && (first === '"' || first === "'" || first === '`') && candidate.endsWith(first)) candidate = candidate.slice(1, -1).trim();
  return candidate.replace(LEADING_WRAPPER, '');
}

/** The cipher an OpenSSH key is encrypted with (`none` when it is not), read from its first base64 bytes. */
function openSshCipher(afterHeader: string): string | null {
  const base64 = afterHeader.slice(0, 200).replace(BASE64_NOISE, '').slice(0, 64);
  const bytes = Buffer.from(base64, 'base64');
  const magic = 'openssh-key-v1\0';
  if (bytes.length < magic.length + 4 || bytes.toString('latin1', 0, magic.length) !== magic) return null;
  const length = bytes.readUInt32BE(magic.length);
  const start = magic.length + 4;
  if (length === 0 || length > 32 || start + length > bytes.length) return null;
  return bytes.toString('latin1', start, start + length);
}

function recognizeKeyFile(head: string): OpaqueTokenMatch | null {
  if (SERVICE_ACCOUNT.test(head) && head.includes('"private_key"')) {
    const keyId = SERVICE_ACCOUNT_KEY_ID.exec(head)?.[1];
    const email = SERVICE_ACCOUNT_EMAIL.exec(head)?.[1];
    const which = keyId ? `key ${keyId.slice(0, 8)}…${email ? ` of ${email}` : ''}` : 'this key';
    return {
      severity: 'high',
      prefix: '',
      keyFile: 'plain',
      example: false,
      token: { format: 'Google Cloud service account key (JSON)', provider: 'Google', advice: `Delete ${which} in Google Cloud console → IAM & Admin → Service accounts → Keys, check Cloud Audit Logs for the service account's activity, and prefer workload identity federation to key files.` },
    };
  }
  const pem = PEM_PRIVATE_KEY.exec(head);
  if (pem) {
    const kind = pem[1];
    const { format, provider } = PEM_FORMATS[kind];
    const after = head.slice(pem.index + pem[0].length, pem.index + pem[0].length + 400);
    const cipher = kind === 'OPENSSH PRIVATE KEY' ? openSshCipher(after) : null;
    const encrypted = kind === 'ENCRYPTED PRIVATE KEY' || after.includes('Proc-Type: 4,ENCRYPTED') || (cipher !== null && cipher !== 'none');
    const rotate = provider === 'SSH' ? ROTATE_SSH_KEY : provider === 'OpenPGP' ? ROTATE_PGP_KEY : ROTATE_KEY;
    if (encrypted) return { severity: 'medium', prefix: '', keyFile: 'protected', example: false, token: { format: `${format}, passphrase-protected`, provider, advice: PASSPHRASE_NOTE + rotate } };
    return { severity: 'high', prefix: '', keyFile: 'plain', example: false, token: { format, provider, advice: provider === 'OpenPGP' ? `${rotate} If it has no passphrase, anyone holding it can use it at once.` : rotate } };
  }
  if (SSH2_PRIVATE_KEY.test(head)) {
    return { severity: 'medium', prefix: '', keyFile: 'protected', example: false, token: { format: 'SSH2 private key (SECSH format)', provider: 'SSH', advice: `Whether or not it is passphrase-protected, rotate it: ${ROTATE_SSH_KEY}` } };
  }
  if (PUTTY_KEY.test(head)) {
    const encryption = PUTTY_ENCRYPTION.exec(head)?.[1] ?? 'none';
    if (encryption !== 'none') return { severity: 'medium', prefix: '', keyFile: 'protected', example: false, token: { format: 'PuTTY private key (PPK), passphrase-protected', provider: 'SSH', advice: PASSPHRASE_NOTE + ROTATE_SSH_KEY } };
    return { severity: 'high', prefix: '', keyFile: 'plain', example: false, token: { format: 'PuTTY private key (PPK)', provider: 'SSH', advice: ROTATE_SSH_KEY } };
  }
  return null;
}

/** The opaque credential the paste is, with the severity of its exposure, or null when no format fits. */
export function classifyOpaqueToken(text: string): OpaqueTokenMatch | null {
  if (text.length <= MAX_TOKEN_CHARS * 2) {
    const candidate = unwrap(text);
    const example = DOCUMENTATION_EXAMPLES.get(candidate);
    if (example) return { severity: 'info', prefix: '', keyFile: null, example: true, token: { ...example, advice: EXAMPLE_ADVICE } };
    if (candidate.length <= MAX_TOKEN_CHARS) {
      for (const rule of TOKEN_RULES) {
        if (rule.pattern.test(candidate)) return ruleMatch(rule);
      }
    }
  }
  return recognizeKeyFile(text.length > MAX_KEY_FILE_SCAN ? text.slice(0, MAX_KEY_FILE_SCAN) : text);
}

function ruleMatch(rule: Rule): OpaqueTokenMatch {
  return { severity: rule.severity, prefix: literalPrefix(rule.pattern), keyFile: null, example: false, token: { format: rule.format, provider: rule.provider, advice: rule.advice } };
}

/** A token in a format applications sign themselves (PASETO, itsdangerous), matched whole as pasted; null for any other. */
export function classifyTokenFormat(token: string): OpaqueTokenMatch | null {
  if (token.length > MAX_TOKEN_CHARS) return null;
  const rule = FORMAT_RULES.find((r) => r.pattern.test(token));
  return rule ? ruleMatch(rule) : null;
}

/** What opaque credential the paste is (exactly the `opaque` object of an inspection), or null. */
export function recognizeOpaqueToken(text: string): OpaqueToken | null {
  return classifyOpaqueToken(text)?.token ?? null;
}
