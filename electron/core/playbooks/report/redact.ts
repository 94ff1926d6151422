/**
 * Redaction of anything in free text that looks like a secret, for the run report: a responder may
 * paste a token into an evidence note, and a server may echo one into a detail. The report shows a
 * secret only as its fingerprint, so what looks like one is replaced with `[redacted: <kind>]`.
 *
 * Recognised: PEM private-key blocks (to the end of the text if the END line is missing), JWTs and
 * JWEs, credentials in URLs, Authorization and Cookie headers, `Bearer …`, assignments such as
 * `password=…`, `"client_secret": "…"` or `api_key: …`, provider tokens known by their prefix (AWS
 * access key IDs, GitHub, GitLab, Slack, Stripe, Google, npm, OpenAI), and any other run of 32 or
 * more base64/base64url/hex characters that is not readable words, a path, a UUID, or named just
 * before as a public identifier (a kid, a jti, a client id).
 *
 * It errs towards redacting: a word lost from a note costs less than a secret in a report that is
 * mailed around. Every pattern has bounded repeats or a literal anchor, so the cost grows linearly
 * with the text (eslint's regexp rules check the patterns for super-linear backtracking and moves).
 */
import { tokenLength } from '../../secrets/sd-jwt-tail';
import { trimEndWhile, type CharTest } from '../../trim';

const isDot: CharTest = (c) => c === 0x2e;
const isEquals: CharTest = (c) => c === 0x3d;

export type SecretKind =
  | 'private key'
  | 'JWT'
  | 'URL credentials'
  | 'authorization header'
  | 'cookie'
  | 'bearer token'
  | 'password'
  | 'secret'
  | 'token'
  | 'API key'
  | 'credential'
  | 'AWS access key ID'
  | 'GitHub token'
  | 'GitLab token'
  | 'Slack token'
  | 'Stripe key'
  | 'Google API key'
  | 'npm token'
  | 'OpenAI key'
  | 'hex secret';

/** Redacted spans are first replaced by `OPEN index CLOSE` (private-use characters, taken out of the input), which no later pattern can match into. */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKERS = /[\uE000\uE001]/g;
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----|[\s\S]*$)/g;
/** Where a JWT may begin: eyJ after anything but a letter, digit or _ (a dash included: token-eyJ…). */
const JWT_START = /(?<![A-Za-z0-9_])eyJ/g;
/**
 * A JWT at such a start: three segments (JWS, the signature possibly empty) or five (JWE, the key
 * part possibly empty); and after a JWS what may be an SD-JWT's tail (RFC 9901), separated by `~`
 * or a form body's `%7E`: disclosures (base64url of a JSON array, `Wy…`), then a Key Binding JWT.
 */
const JWT_AT = /eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2,4}(?:(?:~|%7[Ee])(?!eyJ)(?:Wy[A-Za-z0-9_-]*={0,2})?)*(?:(?:~|%7[Ee])eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2})?/y;
const isBase64urlChar: CharTest = (c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f;

/**
 * Every JWT in the text, replaced. What /\beyJ…/g finds, in one pass: the starts within one run of
 * base64url (eyJ-eyJ-…) all end their first segment where the run ends, so when the first of them
 * is not a JWT none is, and the rest of the run is skipped instead of rescanned from each (a JWKS
 * whose kid is 62,000 × eyJ- took 13 s).
 */
function replaceJwts(text: string, replace: (jwt: string) => string): string {
  let out = '';
  let done = 0;
  let skipTo = 0;
  for (const start of text.matchAll(JWT_START)) {
    const at = start.index;
    if (at < done || at < skipTo) continue;
    JWT_AT.lastIndex = at;
    const jwt = JWT_AT.exec(text);
    if (jwt) {
      // Disclosures hold personal data however short their salt, so an SD-JWT goes whole; a `~` that is text after a JWT stays.
      const token = jwt[0].slice(0, tokenLength(jwt[0]));
      out += text.slice(done, at) + replace(token);
      done = at + token.length;
    } else {
      skipTo = at + 3;
      while (skipTo < text.length && isBase64urlChar(text.charCodeAt(skipTo))) skipTo++;
    }
  }
  return out + text.slice(done);
}
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s/@\uE000\uE001]{1,1024})@/gi;
/**
 * A header's value runs to the end of its line (a Digest or Cookie value has spaces and commas),
 * or to its closing quote: `-H "Authorization: Bearer …"`, `"Authorization": "Bearer …"`.
 */
const HEADER = /(["']?)\b((?:Proxy-)?Authorization|(?:Set-)?Cookie)(["']?[ \t]*[:=][ \t]*)(?=[^\s\uE000\uE001])([^\r\n]+)/gi;
const BEARER = /\bBearer[ \t]+([A-Za-z0-9\-._~+/]+=*)/g;
/** Prose about the scheme itself, not a credential: "Bearer tokens issued during the window". */
const BEARER_PROSE = /^(?:tokens?|auth|authentication|scheme|credentials?|header|and|or)$/i;
/**
 * A name that holds a secret (with any prefix: client_secret, aws_secret_access_key, X-Api-Key,
 * refreshToken), quoted or not, then `=` or `:`, then a quoted or bare value. The bounds keep a
 * text full of unclosed quotes linear.
 */
const ASSIGNMENT =
  /(["']?)\b([A-Za-z0-9_-]{0,40}?(?:password|passwd|pwd|passphrase|passcode|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credentials?))\1([ \t]*[:=][ \t]*)("[^"\r\n\uE000\uE001]{1,4096}"|'[^'\r\n\uE000\uE001]{1,4096}'|[^\s"',;&<>()[\]{}\uE000\uE001]{1,4096})/gi;
/** Assignments of these bare names with `:` and a short lower-case word are prose: "old token: inactive". */
const GENERIC_NAMES = /^(?:token|secret|credentials?)$/i;
const PROSE_WORD = /^[a-z]{1,12}$/;

const PREFIXED: readonly [RegExp, SecretKind][] = [
  [/\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g, 'AWS access key ID'],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{30,251}|github_pat_[A-Za-z0-9_]{40,251})\b/g, 'GitHub token'],
  [/\b(?:glpat|gldt|glrt|glptt|glft|glimt|gloas|glagent|glcbt|glsoat|glffct)-[\w.-]{20,300}/g, 'GitLab token'],
  [/\bxox[abposre]-[A-Za-z0-9-]{10,250}/g, 'Slack token'],
  [/\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,250}|\bwhsec_[A-Za-z0-9+/=]{16,250}/g, 'Stripe key'],
  [/\bAIza[\w-]{35}\b/g, 'Google API key'],
  [/\bnpm_[A-Za-z0-9]{36}\b/g, 'npm token'],
  [/\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,250}/g, 'OpenAI key'],
];
/** The shortest text any of them can match (a Slack token). */
const MIN_PREFIXED = 15;

/**
 * A run of base64, base64url or hex characters long enough to be a key; `=` padding included. The
 * lookbehind starts it only at the run's beginning, so a shorter run is scanned once, not once from
 * each of its characters.
 */
const LONG_RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}/g;
const HEX = /^[0-9a-fA-F]+$/;
const HAS_DIGIT = /[0-9]/;
const HAS_HEX_LETTER = /[a-fA-F]/;
const HAS_LOWER = /[a-z]/;
const HAS_UPPER = /[A-Z]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Public identifiers that look random but are not secrets, when named as such just before: a key id
 * (an RFC 7638 thumbprint is 43 random-looking characters), a JWKS's list of kids, a token id, a
 * client id. `Kid X is published`, `"kid": "X"`, `publishes 2 keys: X, Y`, `client_id=X`. The blanks
 * around `:` or `=` are matched one way only: `[ \t]*[:=]?[ \t]*` split a run of them n² ways.
 */
const PUBLIC_ID_BEFORE =
  /(?:\b(?:kids?|key ids?|jtis?|x5t(?:#S256)?|thumbprints?|client(?:[_ ]?ids?)?|clientIds?)|\bpublishes \d{1,6} keys?)["']?[ \t]*(?:[:=][ \t]*)?["'(]?(?:[A-Za-z0-9+/_=.-]{1,512}["')]?[ \t]*,[ \t]*["'(]?){0,64}$/i;
const PUBLIC_ID_LOOKBEHIND = 4096;

/** Words (Capitalised, lower or upper case) and numbers: what readable identifiers and paths are made of. */
// eslint-disable-next-line regexp/no-super-linear-move -- linear: a run of capitals before a small letter matches once it gives back one
const WORD_PIECES = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+/g;
const SEGMENT_SEPARATORS = /[/_+.=-]+/;
const VOWELS = /[aeiouy]/gi;
const CONSONANT_CLUSTER = /[b-df-hj-np-tv-xz]{5}/i;
const LETTERS = /[^A-Za-z]/g;

/**
 * Whether a piece between separators reads as words: readable names (AbstractSingletonProxyFactory,
 * production, libcrypto, 2026) are words of several letters with vowels in them, where random
 * base64 changes case or class every one or two characters and has long runs of consonants.
 */
function readableSegment(segment: string): boolean {
  if (segment.length <= 3) return true;
  const pieces = segment.match(WORD_PIECES);
  if (!pieces) return true;
  const mean = segment.length / pieces.length;
  if (segment.length < 12) return mean >= 2.5;
  if (mean < 4 || pieces.some((piece) => CONSONANT_CLUSTER.test(piece))) return false;
  const letters = segment.replace(LETTERS, '').length;
  return letters === 0 || (segment.match(VOWELS)?.length ?? 0) / letters >= 0.3;
}

/** Why a long run of key characters is (or is not) a secret; null when it reads as words, a path or a UUID. */
export function classifyLongRun(run: string): SecretKind | null {
  const core = trimEndWhile(run, isEquals);
  if (UUID.test(core)) return null;
  if (HEX.test(core)) return HAS_DIGIT.test(core) && HAS_HEX_LETTER.test(core) ? 'hex secret' : null;
  const classes = Number(HAS_LOWER.test(core)) + Number(HAS_UPPER.test(core)) + Number(HAS_DIGIT.test(core));
  if (classes < 2) return null;
  return core.split(SEGMENT_SEPARATORS).every(readableSegment) ? null : 'token';
}

function assignmentKind(name: string): SecretKind {
  const lower = name.toLowerCase();
  if (/pass|pwd/.test(lower)) return 'password';
  if (lower.endsWith('token')) return 'token';
  if (/key$/.test(lower)) return 'API key';
  if (lower.endsWith('secret')) return 'secret';
  return 'credential';
}

/** A quick test that lets most texts skip ASSIGNMENT, which is tried at every word. */
const MAY_HAVE_ASSIGNMENT = /(?:pass|pwd|secret|token|key|credential)[a-z]{0,8}["']?[ \t]*[:=]/i;

/**
 * The text with everything that looks like a secret replaced by `[redacted: <kind>]`. `onRedact`
 * is called once for each replacement in the result (the report counts them).
 */
export function redactSecrets(text: string, onRedact?: (kind: SecretKind) => void): string {
  const kinds: SecretKind[] = [];
  const mark = (kind: SecretKind) => {
    kinds.push(kind);
    return `${OPEN}${kinds.length - 1}${CLOSE}`;
  };
  let out = text.replace(MARKERS, '\uFFFD');

  if (out.includes('-----BEGIN ')) out = out.replace(PEM_PRIVATE_KEY, () => mark('private key'));
  if (/uthorization|ookie/i.test(out)) {
    out = out.replace(HEADER, (match, before: string, name: string, separator: string, rest: string) => {
      const opening = rest[0] === '"' || rest[0] === "'" ? rest[0] : '';
      const value = opening ? rest.slice(1) : rest;
      // The quote that ends the value: its own, or the one the whole header was quoted with.
      const closer = opening || (before && !separator.includes(before) ? before : '');
      const close = closer ? value.indexOf(closer) : -1;
      if (close === 0) return match;
      const kind = /ookie/i.test(name) ? 'cookie' : 'authorization header';
      return `${before}${name}${separator}${opening}${mark(kind)}${close > 0 ? value.slice(close) : ''}`;
    });
  }
  if (out.includes('://') && out.includes('@')) {
    out = out.replace(URL_CREDENTIALS, (match, scheme: string, userinfo: string) =>
      // A user name alone (ssh://git@host) is no secret; a password, or a token in its place, is.
      userinfo.includes(':') || userinfo.length >= 16 ? `${scheme}${mark('URL credentials')}@` : match,
    );
  }
  if (out.includes('eyJ')) out = replaceJwts(out, (match) => mark('JWT') + match.slice(trimEndWhile(match, isDot).length));
  if (out.includes('Bearer')) out = out.replace(BEARER, (match, token: string) => (BEARER_PROSE.test(token) ? match : `Bearer ${mark('bearer token')}`));
  if (MAY_HAVE_ASSIGNMENT.test(out)) {
    out = out.replace(ASSIGNMENT, (match, quote: string, name: string, separator: string, value: string) => {
      if (!quote && separator.includes(':') && GENERIC_NAMES.test(name) && PROSE_WORD.test(value)) return match;
      const valueQuote = value[0] === '"' || value[0] === "'" ? value[0] : '';
      return `${quote}${name}${quote}${separator}${valueQuote}${mark(assignmentKind(name))}${valueQuote}`;
    });
  }
  if (out.length >= MIN_PREFIXED) for (const [pattern, kind] of PREFIXED) out = out.replace(pattern, () => mark(kind));
  if (out.length >= 32) {
    out = out.replace(LONG_RUN, (run, offset: number, whole: string) => {
      const kind = classifyLongRun(run);
      if (!kind || PUBLIC_ID_BEFORE.test(whole.slice(Math.max(0, offset - PUBLIC_ID_LOOKBEHIND), offset))) return run;
      return mark(kind);
    });
  }

  if (kinds.length === 0) return out;
  // A header's value may have swallowed an earlier placeholder: only what is left is counted.
  return out.replace(PLACEHOLDER, (_match, index: string) => {
    const kind = kinds[Number(index)];
    onRedact?.(kind);
    return `[redacted: ${kind}]`;
  });
}
