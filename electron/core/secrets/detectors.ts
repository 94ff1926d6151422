/**
 * What the scanner looks for, as finders: each a pattern that starts with a literal a secret of
 * that kind always has (a provider's prefix, `eyJ`, `-----BEGIN`, a secret-like name), so one
 * combined regular expression can skip through the text quickly. Finders only find candidates;
 * detect-secret.ts decides what a candidate is and drops placeholders and decoys. Each finder
 * also has its POSIX ERE twin, which the bench gives to `grep -E` as the baseline.
 */

export interface Finder {
  id: string;
  /** JavaScript source, without boundaries (combinedFinder adds them by shape). */
  source: string;
  /** The same pattern for `grep -E` (no lookaround, no `\w`). */
  ere: string;
  /**
   * A token: nothing of it may come just before or after. A block (PEM) may run on into its body.
   * An assignment starts inside a name (`SECRET` in STRIPE_SECRET_KEY).
   */
  shape: 'token' | 'block' | 'assignment';
}

const W = 'A-Za-z0-9_';
/**
 * Value characters of a secret assigned to a name: base64, base64url, hex, common password
 * punctuation, and `\` (JSON escapes `/` as `\/`). Not `&`, which ends a value in a query string
 * or form body (`client_secret=…&client_id=…`).
 */
const VALUE = "A-Za-z0-9/+=_.~!@#$%^*\\\\-";
/** The same class for POSIX, where `\\` is not an escape: `-` first, `\\` last. */
const VALUE_ERE = '[-A-Za-z0-9/+=_.~!@#$%^*\\\\]';
/** Names a secret is assigned to: api_key / apikey, secret, token, password / passwd / pass / pwd / passphrase, private, access, encryption and signing keys, an Authorization header. */
const NAME_WORDS = ['api[_-]?key', 'apikey', 'secret', 'token', 'pass', 'pwd', 'access[_-]?key', 'private[_-]?key', 'encryption[_-]?key', 'signing[_-]?key', 'credentials?', 'authorization'];
/** An Authorization header's scheme comes between the name and the credential, in any case (RFC 9110 §11.1); DPoP's too (RFC 9449 §7.1). */
const SCHEMES = ['bearer', 'basic', 'token', 'dpop'];

/** Every letter as a two-case class (no `i` flag: the provider prefixes are case-sensitive). The word lists have no letters inside classes or escapes. */
function caseless(pattern: string): string {
  return pattern.replace(/[a-z]/g, (c) => `[${c.toUpperCase()}${c}]`);
}

const SCHEME = `(?:${SCHEMES.map(caseless).join('|')})\\s+`;
const SCHEME_ERE = `((${SCHEMES.map(caseless).join('|')})[[:space:]]+)?`;

/** Shortest and longest value a generic assignment is read as: shorter is not a generated secret; longer is found by its own format, if any. */
export const MIN_ASSIGNED_VALUE = 12;
export const MAX_ASSIGNED_VALUE = 1024;
/** Longest private-key block read (an RSA 8192 PKCS #8 PEM is about 6.5 KB). */
export const MAX_PEM_BLOCK = 16 * 1024;

/** The only capturing groups of the combined finder: the name from its secret word on, and the value. */
const ASSIGNMENT = `((?:${NAME_WORDS.map(caseless).join('|')})[\\w.-]{0,40})["']?\\s{0,5}(?::=|=>|[:=])\\s{0,5}["']?(?:${SCHEME})?([${VALUE}]{${MIN_ASSIGNED_VALUE},${MAX_ASSIGNED_VALUE}})`;

export const FINDERS: readonly Finder[] = [
  // ghs_<app id>_<JWT>: GitHub's stateless installation tokens (Actions' GITHUB_TOKEN among them) since April 2026.
  {
    id: 'github',
    source: `gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9]{22,60}_[A-Za-z0-9]{59,180}|ghs_\\d{1,20}_[\\w-]{10,1000}\\.[\\w-]{10,2000}\\.[\\w-]{10,1000}`,
    ere: `gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9]{22,60}_[A-Za-z0-9]{59,180}|ghs_[0-9]{1,20}_[${W}-]{10,1000}\\.[${W}-]{10,2000}\\.[${W}-]{10,1000}`,
    shape: 'token',
  },
  { id: 'gitlab', source: `gl(?:pat|dt|rt|ptt|ft|imt|oas|agent|cbt|soat|ffct)-[\\w.-]{20,300}|GR1348941[\\w-]{20}`, ere: `gl(pat|dt|rt|ptt|ft|imt|oas|agent|cbt|soat|ffct)-[${W}.-]{20,300}|GR1348941[${W}-]{20}`, shape: 'token' },
  { id: 'stripe', source: `[rsp]k_(?:live|test)_[A-Za-z0-9]{24,247}|whsec_[A-Za-z0-9+/=]{24,100}`, ere: '[rsp]k_(live|test)_[A-Za-z0-9]{24,247}|whsec_[A-Za-z0-9+/=]{24,100}', shape: 'token' },
  { id: 'slack', source: `xox[bpaerc]-[A-Za-z0-9.-]{10,250}|xoxe\\.xox[bp]-\\d-[A-Za-z0-9]{150,200}|xapp-\\d-[A-Za-z0-9-]{20,200}|hooks\\.slack\\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,12}/[A-Za-z0-9/]{20,160}`, ere: 'xox[bpaerc]-[A-Za-z0-9.-]{10,250}|xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{150,200}|xapp-[0-9]-[A-Za-z0-9-]{20,200}|hooks\\.slack\\.com/(services|workflows|triggers)/T[A-Z0-9]{6,12}/[A-Za-z0-9/]{20,160}', shape: 'token' },
  { id: 'aws', source: 'A(?:KIA|SIA)[A-Z2-7]{16}', ere: 'A(KIA|SIA)[A-Z2-7]{16}', shape: 'token' },
  { id: 'google', source: `AIza[\\w-]{35}|ya29\\.[\\w.-]{30,2048}|1//0[\\w-]{30,500}|GOCSPX-[\\w-]{28}`, ere: `AIza[${W}-]{35}|ya29\\.[${W}.-]{30,2048}|1//0[${W}-]{30,500}|GOCSPX-[${W}-]{28}`, shape: 'token' },
  { id: 'openai-anthropic', source: `sk-(?:proj|svcacct|admin|None)-[\\w-]{40,300}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|sk-ant-(?:api|admin)\\d\\d-[\\w-]{80,120}`, ere: `sk-(proj|svcacct|admin|None)-[${W}-]{40,300}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|sk-ant-(api|admin)[0-9][0-9]-[${W}-]{80,120}`, shape: 'token' },
  { id: 'registries', source: `npm_[A-Za-z0-9]{36}|pypi-AgE[\\w-]{50,1000}`, ere: `npm_[A-Za-z0-9]{36}|pypi-AgE[${W}-]{50,1000}`, shape: 'token' },
  { id: 'sendgrid', source: `SG\\.[\\w-]{22}\\.[\\w-]{43}`, ere: `SG\\.[${W}-]{22}\\.[${W}-]{43}`, shape: 'token' },
  { id: 'shopify', source: 'shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}', ere: 'shp(at|ca|pa|ss)_[a-fA-F0-9]{32}', shape: 'token' },
  { id: 'huggingface', source: 'hf_[A-Za-z]{34}|api_org_[A-Za-z]{34}', ere: 'hf_[A-Za-z]{34}|api_org_[A-Za-z]{34}', shape: 'token' },
  // A JWS (three parts, header and payload JSON objects) or a JWE (five parts). Not after a dash:
  // every eyJ inside one run of base64url would scan the run again (a megabyte of eyJ- took minutes).
  // A JWS takes the `~` tail of an SD-JWT with it (RFC 9901): disclosures (base64url of a JSON
  // array, so `Wy`; padded by some), then a Key Binding JWT; `%7E` for `~` in a form body. The
  // scanner keeps the tail only when it is one (sd-jwt-tail.ts) and reads on after what it keeps.
  // Each separator starts a part no other part's characters can take, so the tail is read in one pass.
  {
    id: 'jwt',
    source: `(?<!-)eyJ[\\w-]{4,}\\.eyJ[\\w-]{4,}\\.[\\w-]*(?:(?:~|%7[Ee])(?:Wy[\\w-]*={0,2})?)*(?:(?:~|%7[Ee])eyJ[\\w-]{4,}\\.eyJ[\\w-]{4,}\\.[\\w-]*)?|(?<!-)eyJ[\\w-]{10,}\\.[\\w-]*\\.[\\w-]{10,}\\.[\\w-]{10,}\\.[\\w-]{10,}`,
    ere: `eyJ[${W}-]{4,}\\.eyJ[${W}-]{4,}\\.[${W}-]*((~|%7[Ee])(Wy[${W}-]*={0,2})?)*((~|%7[Ee])eyJ[${W}-]{4,}\\.eyJ[${W}-]{4,}\\.[${W}-]*)?|eyJ[${W}-]{10,}\\.[${W}-]*\\.[${W}-]{10,}\\.[${W}-]{10,}\\.[${W}-]{10,}`,
    shape: 'token',
  },
  // The header; the scanner reads on to the END line itself (a lazy regex would look 16 KB ahead at every header without one).
  {
    id: 'private-key',
    source: '-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----',
    ere: '-----BEGIN ([A-Z0-9]+ ){0,3}PRIVATE KEY( BLOCK)?-----',
    shape: 'block',
  },
  // name = value, name: "value", "name": "value", NAME=value; the name may go on around the word (STRIPE_SECRET_KEY).
  {
    id: 'assignment',
    shape: 'assignment',
    source: ASSIGNMENT,
    ere: `(${NAME_WORDS.map((w) => caseless(w.replace('(?:', '('))).join('|')})[${W}.-]{0,40}["']?[[:space:]]{0,5}(:=|=>|[:=])[[:space:]]{0,5}["']?${SCHEME_ERE}${VALUE_ERE}{${MIN_ASSIGNED_VALUE},${MAX_ASSIGNED_VALUE}}`,
  },
];

const of = (shape: Finder['shape']) => FINDERS.filter((f) => f.shape === shape).map((f) => f.source).join('|');
const FORMATS = `(?<![${W}])(?:(?:${of('token')})(?![${W}])|${of('block')})`;
/**
 * A token just after a percent escape (`%3D`), as a URL carried in another URL's parameter has it
 * (`%3Ftoken%3Dghp_…%26`): its hex digits are word characters, so FORMATS does not take it. The
 * escape is part of the match (the scanner steps over it): a lookbehind for it, tried at every
 * position, cost a third of the scan; a `%` first costs nothing measurable.
 */
export const PERCENT_ESCAPE_CHARS = 3;
/** A percent escape of a character that is no word character (`%3D`, `%26`, `%2F`), as FORMATS takes only those before a token. */
const NON_WORD_ESCAPE = '%(?:[0-2][0-9A-Fa-f]|3[A-Fa-f]|40|5[B-Eb-e]|60|7[B-Fb-f])';
const ESCAPED = `${NON_WORD_ESCAPE}(?:${of('token')})(?![${W}])`;

/** All finders in one global expression: one pass over the text finds every candidate. */
export function combinedFinder(): RegExp {
  return new RegExp(`${FORMATS}|${of('assignment')}|${ESCAPED}`, 'g');
}

/** A token or key of a known format anywhere in a value. */
export const KNOWN_FORMAT = new RegExp(`${FORMATS}|${ESCAPED}`);

/**
 * Longest text a match of bounded length can span, with room for the lookbehind: the scanner's
 * windows overlap by more. A JWT's parts are unbounded; the scanner waits for one that runs on.
 */
export const MAX_MATCH_CHARS = MAX_PEM_BLOCK + 256;
