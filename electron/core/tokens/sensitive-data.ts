/**
 * Personal and secret data readable in a token's claims: a JWT is only base64, so anything in it is
 * readable by every party that sees the token. Walks the claims within fixed bounds (depth, nodes,
 * characters per string) and recognises values by shape and checksum, so that identifiers, times
 * and version numbers are not reported.
 */

export type SensitiveKind = 'email' | 'phone' | 'card' | 'password-claim' | 'national-id' | 'iban';

export interface SensitiveData {
  /** Where it is: `payload.email`, `payload.user.phone`, `payload.cards[0]`, `payload["https://x/email"]`. */
  path: string;
  kind: SensitiveKind;
}

const MAX_DEPTH = 16;
const MAX_NODES = 2000;
const MAX_RESULTS = 50;
/** Only the first characters of a long string are searched for an email address, */
const MAX_TEXT_SCAN = 1024;
/** and no more characters than this in all. */
const MAX_TOTAL_SCAN = 128 * 1024;
/** The fewest digits of any national id CredOps reports (a UK NI number has 6, a US SSN 9). */
const NATIONAL_ID_DIGITS = 5;
/** A value longer than this is not a phone, card, IBAN or SSN, whatever it contains. */
const MAX_VALUE_CHARS = 64;

/**
 * An address standing alone, or after `|` (Auth0's `samlp|connection|alice@…` subjects), `#` (Entra's
 * `live.com#alice@…`), `=` or `mailto:`; not after `//` or `user:`, where it is a URL's user information.
 */
const EMAIL = /(?:^|[\s<(,;"'|#=]|mailto:)([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24})(?=$|[\s>),;"'|&])/;
const EMAILS = new RegExp(EMAIL.source, 'g');
/** Google Cloud service accounts are machines, not people: their addresses are not personal data. */
const SERVICE_ACCOUNT_DOMAIN = /\.gserviceaccount\.com$/i;
const E164 = /^(?:tel:)?\+[1-9][\d\s().-]{6,22}$/;
const NANP = /^\(?[2-9]\d{2}\)?[\s.-]?[2-9]\d{2}[\s.-]\d{4}$/;
const LOCAL_PHONE = /^\+?[\d\s().-]{7,22}$/;
const CARD = /^\d(?:[ -]?\d){12,18}$/;
const CARD_SEPARATORS = /[ -]/g;
const SSN = /^(\d{3})-(\d{2})-(\d{4})$/;
const IBAN_SHAPE = /^[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** `id`, `user_id`, `order-id`, `accountId`: numbers in claims named like this are identifiers. */
const ID_NAME = /(?:^|[_-])(?:id|ID)$|[a-z]Id$/;
const NAME_SEPARATORS = /[\s_.-]/g;
const NOT_DIGITS = /\D/g;
const SPACES = / /g;

/** Claims whose values are times, identifiers or hashes: their digits are not phones, cards or IBANs. */
const NOT_PERSONAL_NUMBERS: ReadonlySet<string> = new Set([
  'exp', 'nbf', 'iat', 'auth_time', 'updated_at', 'toe', 'rat', 'jti', 'sub', 'sid', 'oid', 'tid', 'uti', 'aud', 'iss', 'azp', 'client_id',
  'nonce', 'at_hash', 'c_hash', 's_hash', 'kid', 'ver', 'version', 'txn', 'session_state', 'session_id', 'run_id', 'run_number', 'sha',
]);

/** Claim names (lower case, separators removed) that hold a password or key whatever their value looks like. */
const SECRET_NAMES: ReadonlySet<string> = new Set([
  'password', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode', 'secret', 'clientsecret', 'apikey', 'apisecret', 'privatekey', 'privkey',
  'secretkey', 'secretaccesskey', 'signingkey', 'encryptionkey', 'masterkey', 'hmackey', 'passwordhash', 'hashedpassword', 'pin', 'otpsecret',
  'totpsecret', 'mfasecret', 'recoverycodes', 'sessionsecret',
]);
const SECRET_SUFFIXES = ['password', 'passwd', 'passphrase', 'secret', 'apikey', 'privatekey', 'secretkey', 'secretaccesskey'];
const NATIONAL_ID_NAMES: ReadonlySet<string> = new Set(['ssn', 'socialsecuritynumber', 'nationalid', 'nationalidnumber', 'nationalidentifier', 'taxid', 'itin']);
const PHONE_NAMES: ReadonlySet<string> = new Set(['phone', 'phonenumber', 'mobile', 'mobilenumber', 'mobilephone', 'cell', 'cellphone', 'tel', 'telephone', 'msisdn', 'fax']);

/** Lengths by country from the SWIFT IBAN registry. */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DK: 18,
  DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23,
  IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19,
  MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SE: 24, SI: 19,
  SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

function normalizedName(name: string): string {
  // Namespaced claims (`https://example.com/claims/email`, `cognito:username`) are named by their last part.
  const last = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf(':')) + 1);
  return last.toLowerCase().replace(NAME_SEPARATORS, '');
}

function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(name) || SECRET_SUFFIXES.some((suffix) => name.length > suffix.length && name.endsWith(suffix));
}

/** What a claim's name says about its value, worked out once per name. */
interface NameFacts {
  secret: boolean;
  phone: boolean;
  nationalId: boolean;
  /** Numbers under this name are identifiers, times or hashes, never phones, cards or IBANs. */
  identifiers: boolean;
}

const NO_NAME: NameFacts = { secret: false, phone: false, nationalId: false, identifiers: false };
/**
 * Issuers use the same few dozen claim names in every token, and the inspector runs on every
 * keystroke; the bound keeps a token with thousands of made-up names from growing it.
 */
const nameFacts = new Map<string, NameFacts>();
const NAME_FACTS_SIZE = 512;

function factsOf(name: string | null): NameFacts {
  if (name === null) return NO_NAME;
  let facts = nameFacts.get(name);
  if (facts) return facts;
  const normalized = normalizedName(name);
  const nationalId = NATIONAL_ID_NAMES.has(normalized);
  facts = { secret: isSecretName(normalized), phone: PHONE_NAMES.has(normalized), nationalId, identifiers: !nationalId && (NOT_PERSONAL_NUMBERS.has(name) || ID_NAME.test(name)) };
  if (nameFacts.size >= NAME_FACTS_SIZE) nameFacts.clear();
  nameFacts.set(name, facts);
  return facts;
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes and lengths of the card networks (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro). */
function hasCardIssuerShape(digits: string): boolean {
  const length = digits.length;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (digits[0] === '4') return length === 13 || length === 16 || length === 19;
  if (two >= 51 && two <= 55) return length === 16;
  if (four >= 2221 && four <= 2720) return length === 16;
  if (two === 34 || two === 37) return length === 15;
  if (two === 36 || two === 38 || two === 39 || (four >= 3000 && four <= 3059)) return length >= 14 && length <= 19;
  if (four >= 3528 && four <= 3589) return length >= 16 && length <= 19;
  if (digits[0] === '6' || two === 50 || (two >= 56 && two <= 58)) return length >= 13 && length <= 19;
  return false;
}

function isCardNumber(value: string): boolean {
  if (!CARD.test(value)) return false;
  const digits = value.replace(CARD_SEPARATORS, '');
  return digits.length >= 13 && digits.length <= 19 && hasCardIssuerShape(digits) && passesLuhn(digits);
}

function isIban(value: string): boolean {
  if (!IBAN_SHAPE.test(value)) return false;
  const iban = value.replace(SPACES, '').toUpperCase();
  if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

function isSsn(value: string): boolean {
  const match = SSN.exec(value);
  if (!match) return false;
  const [, area, group, serial] = match;
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

function isPhone(value: string, namedPhone: boolean): boolean {
  const digits = value.replace(NOT_DIGITS, '').length;
  if (E164.test(value)) return digits >= 8 && digits <= 15;
  if (NANP.test(value)) return true;
  return namedPhone && LOCAL_PHONE.test(value) && digits >= 7 && digits <= 15;
}

const isDigit = (code: number) => code >= 48 && code <= 57;
const isLetter = (code: number) => (code | 0x20) >= 97 && (code | 0x20) <= 122;

/**
 * Whether a value could be a card, SSN, IBAN or phone number at all, from its first characters:
 * most claims are URLs, names and identifiers, and this spares them a dozen regular expressions.
 */
function mayBeNumberLike(text: string): boolean {
  const first = text.charCodeAt(0);
  // Cards, SSNs and phones: a digit, or + ( ) . - as phones are written.
  if (isDigit(first) || first === 0x2b || first === 0x28 || first === 0x29 || first === 0x2e || first === 0x2d) return true;
  // "tel:+…", and IBANs: two letters then two digits.
  return text.startsWith('tel:') || (isLetter(first) && isLetter(text.charCodeAt(1)) && isDigit(text.charCodeAt(2)) && isDigit(text.charCodeAt(3)));
}

/** What a single value is, judged by its claim's name and its shape. */
function kindOfValue(value: string | number, facts: NameFacts, scanChars: number): SensitiveKind | null {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0 || facts.identifiers) return null;
    const digits = String(value);
    if (facts.nationalId) return digits.length >= NATIONAL_ID_DIGITS ? 'national-id' : null;
    if (facts.phone && digits.length >= 7 && digits.length <= 15) return 'phone';
    return isCardNumber(digits) ? 'card' : null;
  }
  const text = value.length <= MAX_TEXT_SCAN ? value.trim() : value;
  if (text.length <= MAX_VALUE_CHARS && !facts.identifiers && mayBeNumberLike(text)) {
    if (isCardNumber(text)) return 'card';
    if (isSsn(text)) return 'national-id';
    if (isIban(text)) return 'iban';
    if (isPhone(text, facts.phone)) return 'phone';
  }
  // A claim named for a national id holds one, whatever its country's format; "N/A" or a masked
  // "XXX-XX-1234" does not.
  if (facts.nationalId && text.length <= MAX_VALUE_CHARS && digitCount(text) >= NATIONAL_ID_DIGITS) return 'national-id';
  const scanned = text.length > scanChars ? text.slice(0, scanChars) : text;
  return scanned.includes('@') && holdsPersonalAddress(scanned) ? 'email' : null;
}

/** Whether any address in the text is a person's: one service account beside it does not hide the rest. */
function holdsPersonalAddress(text: string): boolean {
  EMAILS.lastIndex = 0;
  for (let match = EMAILS.exec(text); match; match = EMAILS.exec(text)) {
    if (!SERVICE_ACCOUNT_DOMAIN.test(match[1])) return true;
  }
  return false;
}

function digitCount(text: string): number {
  let digits = 0;
  for (let i = 0; i < text.length; i++) if (isDigit(text.charCodeAt(i))) digits++;
  return digits;
}

function childPath(parent: string, key: string): string {
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

interface Walk {
  found: SensitiveData[];
  nodes: number;
  /** Characters left to search for e-mail addresses. */
  scanBudget: number;
}

/** A value's path from its parent's and its key (`payload.address.city`, `payload.phones[0]`): built only for what is reported or walked into. */
export function pathOf(parent: string, key: string | number | null): string {
  if (key === null) return parent;
  return typeof key === 'number' ? `${parent}[${key}]` : childPath(parent, key);
}

/**
 * `name` is the claim a value belongs to; elements of an array keep their array's name, so
 * `phones: ["+44…"]` is read as a list of phones, but only the claim itself is named like a password.
 */
function visit(walk: Walk, value: unknown, parent: string, key: string | number | null, name: string | null, depth: number): void {
  if (++walk.nodes > MAX_NODES || walk.found.length >= MAX_RESULTS) return;
  const facts = factsOf(name);
  if (typeof key === 'string' && facts.secret && isNonEmpty(value)) walk.found.push({ path: pathOf(parent, key), kind: 'password-claim' });
  if (typeof value === 'string' || typeof value === 'number') {
    const scanChars = Math.min(MAX_TEXT_SCAN, walk.scanBudget);
    if (typeof value === 'string') walk.scanBudget -= Math.min(value.length, scanChars);
    const kind = kindOfValue(value, facts, scanChars);
    if (kind) walk.found.push({ path: pathOf(parent, key), kind });
    return;
  }
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return;
  const here = pathOf(parent, key);
  if (Array.isArray(value)) {
    const count = Math.min(value.length, MAX_NODES);
    for (let i = 0; i < count && walk.nodes < MAX_NODES; i++) visit(walk, value[i], here, i, name, depth + 1);
    return;
  }
  for (const member in value) {
    if (walk.nodes >= MAX_NODES) break;
    if (Object.hasOwn(value, member)) visit(walk, (value as Record<string, unknown>)[member], here, member, member, depth + 1);
  }
}

/**
 * Emails, phone numbers, card numbers (Luhn-checked), US SSNs, IBANs (mod-97-checked) and claims named
 * like passwords or keys, anywhere in the claims, each once with its path. `root` names the object walked.
 */
export function findSensitiveData(payload: unknown, root = 'payload'): SensitiveData[] {
  const walk: Walk = { found: [], nodes: 0, scanBudget: MAX_TOTAL_SCAN };
  visit(walk, payload, root, null, null, 0);
  return walk.found.slice(0, MAX_RESULTS);
}

/** Flags such as `forcePassword: 0` or `"true"` name a password without holding one. */
const FLAG_TEXT: ReadonlySet<string> = new Set(['true', 'false', '0', '1', 'yes', 'no']);

function isNonEmpty(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 0 && !FLAG_TEXT.has(value.toLowerCase());
  if (typeof value === 'number') return value !== 0 && value !== 1;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value !== 'object' || value === null) return false;
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}
