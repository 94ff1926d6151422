/**
 * The `~` tail of an SD-JWT (RFC 9901) after a JWT found in text: its disclosures, which hold the
 * claims the holder revealed (personal data, most often), and its Key Binding JWT. The tail is
 * taken only when it is one: it holds a disclosure or a Key Binding JWT, or the JWT says it issues
 * an SD-JWT. A `~` that is only text after a JWT (`~~strike~~`, `~5 min`, `~Wyatt`) is left out, as
 * the inspector leaves it (tokens/sd-jwt-in-paste.ts). A form body encoded as Java's URLEncoder
 * does it has `%7E` for each `~`.
 */
import { isJsonObject } from '../json-depth';

export interface SdJwt {
  /** The SD-JWT as the text has it: the JWT, its disclosures each closed by a separator, and its Key Binding JWT if any. */
  written: string;
  /** The same with `~` for each separator: the SD-JWT as its holder has it. */
  token: string;
  /** The issuer-signed JWT. */
  jwt: string;
  disclosures: number;
  /** The SD-JWT ends with a Key Binding JWT. */
  keyBinding: boolean;
  /** The payload of the issuer-signed JWT. */
  claims: Record<string, unknown>;
}

/** Between an SD-JWT's parts: `~`, or `%7E` where a form body was encoded with it. */
const SEPARATOR = /~|%7[Ee]/g;
const FIRST_SEPARATOR = /~|%7[Ee]/;

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const jsonOf = (part: string): unknown => parsed(Buffer.from(part, 'base64url').toString('utf8'));

/** A disclosure: base64url of `[salt, name, value]` or, for an array element, `[salt, value]` (RFC 9901 §4.2). */
function isDisclosure(part: string): boolean {
  const value = jsonOf(part);
  return Array.isArray(value) && (value.length === 2 || value.length === 3) && typeof value[0] === 'string' && (value.length === 2 || typeof value[1] === 'string');
}

/** A compact JWS: three parts, the first a header with an alg. */
function isJws(part: string): boolean {
  const parts = part.split('.');
  if (parts.length !== 3) return false;
  const header = jsonOf(parts[0]);
  return isJsonObject(header) && typeof header.alg === 'string';
}

const typOf = (header: unknown) => (isJsonObject(header) && typeof header.typ === 'string' ? header.typ.toLowerCase().replace(/^application\//, '') : '');

/**
 * Whether a JWT says it issues an SD-JWT: a typ of SD-JWT (`dc+sd-jwt`, `example+sd-jwt`), or
 * digests anywhere in its claims, looked for in the payload as written (claims nested thousands
 * deep parse, but would overflow the stack written out again).
 */
function issuesSdJwt(header: unknown, payload: string): boolean {
  return typOf(header).endsWith('sd-jwt') || payload.includes('"_sd"') || payload.includes('"_sd_alg"');
}

/**
 * The SD-JWT that `text` (a compact JWS, then a separator and what follows) begins with, or null
 * when the JWS stands alone. Disclosures are taken while they read as disclosures, each with the
 * separator that closes it; a Key Binding JWT only after the last of them (one that does not say
 * so is still the presentation's: the inspection says what is wrong with it).
 */
export function sdJwtIn(text: string): SdJwt | null {
  const first = FIRST_SEPARATOR.exec(text);
  if (!first) return null;
  const jwt = text.slice(0, first.index);
  const [headerPart, payloadPart] = jwt.split('.');
  const header = jsonOf(headerPart);
  const payload = Buffer.from(payloadPart ?? '', 'base64url').toString('utf8');
  const claims = parsed(payload);
  if (!isJsonObject(header) || !isJsonObject(claims)) return null;
  // Disclosures, each closed by a separator, while they read as disclosures; then what is left.
  let end = first.index + first[0].length;
  let disclosures = 0;
  let closedAll = true;
  SEPARATOR.lastIndex = end;
  for (let at = SEPARATOR.exec(text); at; at = SEPARATOR.exec(text)) {
    if (!isDisclosure(text.slice(end, at.index))) {
      closedAll = false;
      break;
    }
    disclosures++;
    end = at.index + at[0].length;
  }
  const last = text.slice(end);
  const keyBinding = closedAll && isJws(last);
  // A presentation cut short ends with a disclosure no separator closes: it is the SD-JWT's all the same.
  const unclosed = closedAll && !keyBinding && last !== '' && isDisclosure(last);
  if (unclosed) disclosures++;
  if (disclosures === 0 && !(keyBinding && typOf(jsonOf(last.slice(0, last.indexOf('.')))) === 'kb+jwt') && !issuesSdJwt(header, payload)) return null;
  const written = text.slice(0, keyBinding || unclosed ? end + last.length : end);
  return { written, token: written.replace(SEPARATOR, '~'), jwt, disclosures, keyBinding, claims };
}

/** How much of `text` (a compact JWS and what a finder took after it) is the token: the SD-JWT it begins, or the JWS alone. */
export function tokenLength(text: string): number {
  const sd = sdJwtIn(text);
  if (sd) return sd.written.length;
  const first = FIRST_SEPARATOR.exec(text);
  return first ? first.index : text.length;
}
