/**
 * What a candidate the scanner found is, or null when it is not a secret: a placeholder
 * (`ghp_xxxx…`, `${TOKEN}`, `changeme`), a documentation example (AKIAIOSFODNN7EXAMPLE, jwt.io's
 * token), a hash or id under a secret-looking name (`token_count`, `password_hash`), a public key,
 * or a value of too little entropy to be generated. Formats are named by opaque-formats.ts, as the
 * inspector names them, so Leak triage and the Inspector say the same thing about the same token.
 */
import type { LeakKind } from '../../../shared/leaks';
import type { TokenFinding } from '../../../shared/tokens';
import { classifyOpaqueToken, DOCUMENTATION_EXAMPLES } from './opaque-formats';
import { tailWhile, trimEndWhile, type CharTest } from '../trim';
import { isJsonObject } from '../json-depth';
import { KNOWN_FORMAT, MAX_ASSIGNED_VALUE } from './detectors';
import { sdJwtIn } from './sd-jwt-tail';
import type { Candidate } from './scanner';

export interface DetectedSecret {
  kind: LeakKind;
  provider: string;
  format: string;
  severity: TokenFinding['severity'];
  advice: string;
  /** The secret as the inventory would hold it: fingerprinted, then dropped after the scan. */
  secret: string;
  /** Other forms the inventory may hold it in (unescaped, decoded, with its URL scheme), matched too. */
  variants: string[];
  masked: string;
  assignedTo: string | null;
  /** What it exposes stays exposed once it expires: an SD-JWT's disclosed claims. */
  outlivesExpiry?: boolean;
}

/** jwt.io's sample token: the inspector reads it as the JWT it is (its secret is in the weak-secret dictionary). */
const JWT_IO_EXAMPLE = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const isDocumentationExample = (text: string) => DOCUMENTATION_EXAMPLES.has(text) || text === JWT_IO_EXAMPLE;
const PLACEHOLDER_WORDS = /example|sample|dummy|placeholder|changeme|change_me|redacted|your[_-]?(?:api|secret|token|key|password)|insert|replace|fake|not[_-]?a[_-]?real|lorem/i;
/** `xxxx`, `0000`, `****`, `abcd…`, a run of one character. */
const FILLER = /(.)\1{5,}|x{4,}|X{4,}|\*{3,}|0123456|123456789|abcdefgh/;
const TEMPLATE = /^(?:\$\{|\$\(|\$[A-Z_]|\{\{|<|%\(|%s|\[|@|env\.|process\.env|os\.environ|secrets\.|vault:)/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Last words of a name that merely contains a secret word: a count, an id, a hash of a secret, a policy, where a secret is kept. */
const NOT_A_SECRET_WORDS = new Set(
  ('hash hashed digest checksum sha sha1 sha256 sha512 md5 id ids count counts length len size type kind url uri path file dir policy manager store name expiry expires ' +
    'expiration ttl timeout lifetime age prefix suffix version header endpoint format mode enabled required field label usage limit created updated at issuer audience ' +
    'scope scopes public fingerprint thumbprint kid alg algorithm method provider source ref hint strength min max per second seconds minutes rotation rotated ' +
    'reset forgot confirm confirmation placeholder example').split(' '),
);
const NAME_WORDS = /[_.\-\s]+|(?<=[a-z0-9])(?=[A-Z])/;
/** A word of a name that says it holds a secret: `key`, `TOKEN`, `Password`, `apikey`, `authToken`'s `Token`, `DB_PASS`'s `PASS`. */
const SECRET_WORD = /^(?:api|secret|private|access|auth|signing|encryption|client|db)?(?:keys?|tokens?|secrets?|pass|passwd|passwords?|passphrase|pwd|credentials?|authorization)$/i;
/** The last word of a name under which even a UUID is a secret (Heroku API keys, npm's legacy auth tokens are UUIDs). */
const KEY_WORDS = new Set(['key', 'apikey', 'token', 'authtoken', 'secret', 'password', 'pass']);
/**
 * Values that are not secrets: numbers, dates and versions; paths (`/var/secrets/key.json`,
 * `./x`, `~/`, `C:\\`); a nested `name=value` (its value is looked at on its own; not base64's
 * padding); lower-case identifiers (`default-token-x7k2p`, `payments.api.v2`) and resource paths
 * (`projects/acme/secrets/db-pass/versions/latest`); references in code (`settings.STRIPE_KEY`,
 * `System.getenv`).
 */
const NOT_A_VALUE =
  /^[\d.:-]+$|^(?:~?\/|\.{1,2}\/|[A-Za-z]:\\)|^[A-Za-z_][\w.-]*=(?!=|$)|^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+$|^[a-z0-9][a-z0-9_.-]*(?:\/[a-z0-9][a-z0-9_.-]*)+$|^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;
const AWS_SECRET_KEY = /^[A-Za-z0-9/+]{40}$/;
const PEM_BODY_NOISE = /\\[rn]|\s|Proc-Type:[^\n\\]*|DEK-Info:[^\n\\]*/g;
const PEM_HEADER = /^-----BEGIN ([A-Z0-9 ]+?)-----/;
const PEM_FOOTER = /-----END [A-Z0-9 ]+?-----$/;
const BASE64 = /^[A-Za-z0-9+/=]+$/;
const isBase64Char: CharTest = (c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f || c === 0x3d;
const isDotOrDash: CharTest = (c) => c === 0x2e || c === 0x2d;
const isDotOrComma: CharTest = (c) => c === 0x2e || c === 0x2c;
const MASK = '••••••••';

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

function characterClasses(text: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(text)).length;
}

/** Its public prefix (`ghp_`, `sk_live_`, `xoxb-`, `AKIA`), then a fixed mask, then the last four when it is long enough that four say nothing. */
export function maskSecret(secret: string, prefix = ''): string {
  return `${prefix}${MASK}${secret.length >= 24 ? secret.slice(-4) : ''}`;
}

/** Below this, the characters repeat too much for a generated value of this length (a random 16-character one rarely falls under 2.8 bits). */
function tooUniform(text: string): boolean {
  return entropy(text) < Math.min(3, 0.7 * Math.log2(text.length));
}

function looksPlaceholder(body: string): boolean {
  return PLACEHOLDER_WORDS.test(body) || FILLER.test(body) || tooUniform(body);
}

/** The forms a value may be kept in besides the one in the text: JSON-unescaped, URL-decoded, base64-decoded (a Kubernetes secret's data). */
function valueVariants(value: string): string[] {
  const forms = new Set<string>();
  if (value.includes('\\')) forms.add(value.replace(/\\\//g, '/').replace(/\\/g, ''));
  if (/%[0-9A-Fa-f]{2}/.test(value)) {
    try {
      forms.add(decodeURIComponent(value));
    } catch {
      // Not valid percent-encoding: the value stands as written.
    }
  }
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    if (/^[\x21-\x7e]{8,}$/.test(decoded)) forms.add(decoded);
  }
  forms.delete(value);
  return [...forms];
}

function decodeSegment(segment: string): unknown {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * Base64url that begins a JOSE header: its JSON names a header parameter (RFC 7515 §4.1; an x5c
 * chain may come before the alg). Base64 of other JSON, a service account's key, names none.
 */
function isJoseStart(value: string): boolean {
  const header = /^eyJ[A-Za-z0-9_-]+/.exec(value)?.[0];
  return header !== undefined && /"(?:alg|enc|typ|cty|kid|x5c|x5t|x5u|jku|jwk|crit)"\s*:/.test(Buffer.from(header, 'base64url').toString('latin1'));
}

const BEARER_ADVICE = 'A bearer token: whoever holds it can use it until it expires. Revoke its grant or session at the issuer, and check the issuer\'s logs for its use.';

/** Whether a credential names a holder key (RFC 7800 cnf: jwk, jkt, kid, x5t#S256…): an empty or malformed cnf binds it to none. */
const namesHolderKey = (cnf: unknown) => isJsonObject(cnf) && Object.keys(cnf).length > 0;

function detectJwt(text: string, assignedTo: string | null): DetectedSecret | null {
  // The scanner has cut what follows a JWT to an SD-JWT's tail, or to nothing.
  const sd = sdJwtIn(text);
  const jwt = sd?.jwt ?? text;
  const parts = jwt.split('.');
  const header = decodeSegment(parts[0]) as Record<string, unknown> | null;
  if (!header) return null;
  const jwe = parts.length === 5;
  if (jwe ? typeof header.enc !== 'string' : typeof header.alg !== 'string' || !decodeSegment(parts[1])) return null;
  const field = (name: string) => String(header[name]).slice(0, 40);
  // The mask ends as the JWT's signature does: an SD-JWT's last characters may be a disclosed value.
  const found = { kind: 'jwt', provider: 'JWT', masked: maskSecret(jwt, jwt.slice(0, 10)), assignedTo } as const;
  if (!sd) return { ...found, secret: jwt, format: jwe ? `JWE (${field('alg')}, ${field('enc')})` : `JWT (${field('alg')})`, severity: 'medium', advice: BEARER_ADVICE, variants: [] };
  // Held by the key its cnf names, an SD-JWT is presented again only with that key (or to a verifier that skips key binding).
  const bound = namesHolderKey(sd.claims.cnf);
  const { disclosures } = sd;
  const disclosed = disclosures === 0 ? 'It discloses nothing.' : `Its ${disclosures === 1 ? 'disclosure holds a claim' : `${disclosures} disclosures hold claims`} the holder revealed, often personal data: read ${disclosures === 1 ? 'it' : 'them'} in the inspection, and treat ${disclosures === 1 ? 'it' : 'them'} as exposed, expired or not.`;
  const held = bound ? 'It is bound to its holder\'s key, so presenting it again needs that key, unless a verifier skips key binding.' : 'It is bound to no holder key: whoever holds it can present it.';
  const issuedForm = sd.keyBinding ? sd.token.slice(0, sd.token.lastIndexOf('~') + 1) : null;
  return {
    ...found,
    secret: sd.token,
    format: `SD-JWT (${field('alg')}, ${disclosures} disclosure${disclosures === 1 ? '' : 's'}${sd.keyBinding ? ', key binding' : ''})`,
    severity: disclosures > 0 && !bound ? 'high' : 'medium',
    advice: `A selectively disclosable credential (SD-JWT). ${disclosed} ${held} Ask its issuer to revoke it (in its status list, if it has one).`,
    // The inventory may hold the credential as issued, or its JWT alone.
    variants: issuedForm ? [jwt, issuedForm] : [jwt],
    outlivesExpiry: disclosures > 0,
  };
}

function detectToken(text: string, assignedTo: string | null): DetectedSecret | null {
  if (isDocumentationExample(text)) return null;
  // An unsecured JWT ends in its empty signature's dot; the finder never takes a full stop after a signature.
  if (text.startsWith('eyJ')) return detectJwt(text, assignedTo);
  // A token at the end of a sentence takes the full stop with it (GitLab, Slack and Google tokens may contain dots).
  const token = /[.-]$/.test(text) && !classifyOpaqueToken(text) ? trimEndWhile(text, isDotOrDash) : text;
  const match = classifyOpaqueToken(token);
  if (!match || isDocumentationExample(token) || looksPlaceholder(token.slice(match.prefix.length))) return null;
  // A Slack webhook is found from its host on; the inventory keeps the URL.
  const variants = token.startsWith('hooks.slack.com/') ? [`https://${token}`] : token.startsWith('https://') ? [token.slice(8)] : [];
  return { kind: 'provider', provider: match.token.provider, format: match.token.format, severity: match.severity, advice: match.token.advice, secret: token, variants, masked: maskSecret(token, match.prefix), assignedTo };
}

/** A key block's body is DER (a SEQUENCE), an OpenSSH key, OpenPGP packets, or legacy-encrypted bytes: anything else is an example or a fragment. */
function isKeyBody(body: string, label: string, block: string): boolean {
  if (body.length < 64 || !BASE64.test(body) || entropy(body) < 4) return false;
  const bytes = Buffer.from(body.slice(0, 64), 'base64');
  return bytes[0] === 0x30 || bytes.toString('latin1', 0, 15) === 'openssh-key-v1\0' || label.startsWith('PGP') || block.includes('Proc-Type: 4,ENCRYPTED');
}

function detectPrivateKey(block: string, assignedTo: string | null): DetectedSecret | null {
  const header = PEM_HEADER.exec(block);
  if (!header) return null;
  const complete = PEM_FOOTER.test(block);
  const inside = block.slice(header[0].length, complete ? block.lastIndexOf('-----END') : undefined);
  let body = inside.replace(PEM_BODY_NOISE, '');
  // A key in a CI log has a timestamp before every line (`2026-01-14T10:22:30.1234567Z MIIE…`): keep each line's base64 end.
  if (!BASE64.test(body)) {
    const lines = inside.split(/\\r\\n|\\n|\r?\n/);
    // What comes before `-----END` on its own line is that line's prefix, not key material.
    if (complete) lines.pop();
    body = lines.map((line) => tailWhile(line.trimEnd(), isBase64Char)).join('');
  }
  if (!isKeyBody(body, header[1], block)) return null;
  const match = classifyOpaqueToken(block.replace(/\\r\\n|\\n/g, '\n'));
  if (!match) return null;
  const footer = complete ? `-----END ${header[1]}-----` : '';
  // The block as a file would hold it, so the same key matches however the log wrapped or escaped it;
  // ssh-keygen wraps at 70 columns, and a key the thumbprint cannot read (OpenSSH) is matched by these.
  const wrapped = (width: number) => `${header[0]}\n${body.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n')}\n${footer}`.trim();
  const pem = wrapped(64);
  return {
    kind: 'private_key',
    provider: match.token.provider,
    format: complete ? match.token.format : `${match.token.format}, cut short (no END line)`,
    severity: match.severity,
    advice: match.token.advice,
    secret: pem,
    variants: body.length > 64 ? [wrapped(70)] : [],
    masked: `${header[0]} ${MASK}`,
    assignedTo,
  };
}

function detectAssigned(written: string, name: string): DetectedSecret | null {
  // Cheapest first: logs are full of `token_count=…`. (The finder takes no value shorter than MIN_ASSIGNED_VALUE.)
  // Only the last word decides: `password_policy` is a policy, `SOURCE_DB_PASSWORD` a password.
  const words = name.split(NAME_WORDS).filter(Boolean);
  const last = (words.at(-1) ?? '').toLowerCase();
  // The finder starts at a secret word inside any name (`pass` in `passport`, `compass`): one of the name's words must be one.
  if (NOT_A_SECRET_WORDS.has(last) || !words.some((word) => SECRET_WORD.test(word))) return null;
  // A sentence's full stop or a list's comma is not part of the value.
  const value = trimEndWhile(written, isDotOrComma);
  // The start of a JWT longer than the finder takes a value (an x5c chain in its header): the JWT finder reads it whole.
  if (written.length === MAX_ASSIGNED_VALUE && isJoseStart(value)) return null;
  if (isDocumentationExample(value)) return null;
  const lower = name.toLowerCase();
  if (/aws/.test(lower) && /secret/.test(lower) && AWS_SECRET_KEY.test(value) && !looksPlaceholder(value)) {
    return {
      kind: 'provider',
      provider: 'AWS',
      format: 'AWS secret access key',
      severity: 'high',
      advice: 'The secret half of an AWS access key: find its access key ID (usually beside it), deactivate the key in IAM (aws iam update-access-key --status Inactive), check CloudTrail for its use, then delete it and issue a new one.',
      secret: value,
      variants: [],
      masked: maskSecret(value),
      assignedTo: name,
    };
  }
  if (TEMPLATE.test(value) || PLACEHOLDER_WORDS.test(value) || FILLER.test(value) || NOT_A_VALUE.test(value)) return null;
  if (UUID.test(value) ? !KEY_WORDS.has(last) : tooUniform(value) || characterClasses(value) < 2) return null;
  // A token or key under a name (or in a URL's user info, or in a nested `name=value`) is found again by its own format.
  if (KNOWN_FORMAT.test(value) || classifyOpaqueToken(value)) return null;
  const variants = valueVariants(value);
  const basic = last === 'authorization' ? variants.find((v) => /^[^:]{1,256}:.{8,}$/.test(v)) : undefined;
  if (basic) {
    const password = basic.slice(basic.indexOf(':') + 1);
    return {
      kind: 'generic',
      provider: 'Unknown',
      format: `HTTP Basic credentials (user ${basic.slice(0, basic.indexOf(':')).slice(0, 64)})`,
      severity: 'high',
      advice: 'A user name and password sent in an Authorization header: change the password (or the API key used as one) where the account lives, and check that system\'s logs for sign-ins with it.',
      secret: value,
      variants: [password],
      masked: maskSecret(value),
      assignedTo: name,
    };
  }
  const what = /pass|pwd/.test(lower) ? 'Password' : /api[_-]?key|apikey/.test(lower) ? 'API key' : /token|authorization/.test(lower) ? 'Token' : /private|signing|encryption/.test(lower) ? 'Key' : 'Secret';
  return {
    kind: 'generic',
    provider: 'Unknown',
    format: `${what} assigned to ${name}`,
    severity: 'medium',
    advice: `A high-entropy value assigned to ${name}, of no format CredOps knows. Find which system it belongs to from the name and where the text came from, rotate it there, and add it to the inventory so the next leak of it is matched.`,
    secret: value,
    variants,
    masked: maskSecret(value),
    assignedTo: name,
  };
}

export function detectSecret(candidate: Candidate): DetectedSecret | null {
  if (candidate.shape === 'block') return detectPrivateKey(candidate.text, candidate.assignedTo);
  if (candidate.shape === 'assignment') return detectAssigned(candidate.text, candidate.assignedTo ?? '');
  return detectToken(candidate.text, candidate.assignedTo);
}
