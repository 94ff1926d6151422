/**
 * The `~` tail of an SD-JWT (RFC 9901) after the JWT a leak scan found: its disclosures, which hold
 * the personal data the holder revealed, and its Key Binding JWT. Found text is taken as an SD-JWT
 * only when it is one: its tail holds a disclosure or a Key Binding JWT, or its JWT says it issues
 * an SD-JWT. A `~` that is only text after a JWT (`~~strike~~`, `~5 min`) is left out, as the
 * inspector leaves it (tokens/sd-jwt-in-paste.ts).
 */

export interface SdJwtTail {
  /** The SD-JWT as written: the JWT, its disclosures each closed by `~`, and the Key Binding JWT if any. */
  token: string;
  disclosures: number;
  /** The SD-JWT ends with a Key Binding JWT. */
  keyBinding: boolean;
}

function jsonOf(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A disclosure: base64url of `[salt, name, value]` or, for an array element, `[salt, value]` (RFC 9901 §4.2). */
function isDisclosure(part: string): boolean {
  const value = jsonOf(part);
  return Array.isArray(value) && (value.length === 2 || value.length === 3) && typeof value[0] === 'string' && (value.length === 2 || typeof value[1] === 'string');
}

/** A compact JWS: three parts, the first a header with an alg. */
function isJws(part: string): boolean {
  const parts = part.split('.');
  if (parts.length !== 3) return false;
  const header = jsonOf(parts[0]) as { alg?: unknown } | undefined;
  return typeof header?.alg === 'string';
}

/** A Key Binding JWT says so: typ `kb+jwt` (RFC 9901 §4.3). */
function isKeyBinding(part: string): boolean {
  const header = jsonOf(part.slice(0, part.indexOf('.'))) as { typ?: unknown } | undefined;
  return typeof header?.typ === 'string' && header.typ.toLowerCase().replace(/^application\//, '') === 'kb+jwt';
}

/** Whether a JWT says it issues an SD-JWT: a typ of SD-JWT (`dc+sd-jwt`, `example+sd-jwt`), or digests anywhere in its claims. */
function issuesSdJwt(header: Record<string, unknown>, claims: Record<string, unknown>): boolean {
  if (typeof header.typ === 'string' && header.typ.toLowerCase().endsWith('sd-jwt')) return true;
  const written = JSON.stringify(claims);
  return written.includes('"_sd"') || written.includes('"_sd_alg"');
}

/**
 * The SD-JWT that `text` (a JWT, then `~` and what the finder took after it) begins with, or null
 * when the JWT stands alone. Disclosures are taken while they read as disclosures, each with the
 * `~` that closes it; a Key Binding JWT only after the last of them.
 */
export function sdJwtTail(text: string, header: Record<string, unknown>, claims: Record<string, unknown>): SdJwtTail | null {
  const tilde = text.indexOf('~');
  if (tilde === -1) return null;
  const parts = text.slice(tilde + 1).split('~');
  let end = tilde + 1;
  let disclosures = 0;
  // Every part but the last was closed by a `~`; the last was not, so only a Key Binding JWT may end it.
  for (const part of parts.slice(0, -1)) {
    if (!isDisclosure(part)) break;
    disclosures++;
    end += part.length + 1;
  }
  const last = parts[parts.length - 1];
  const jws = disclosures === parts.length - 1 && isJws(last);
  if (disclosures === 0 && !(jws && isKeyBinding(last)) && !issuesSdJwt(header, claims)) return null;
  // After an SD-JWT's disclosures, a JWT is its Key Binding JWT, even one that does not say so: the inspection says what is wrong with it.
  return { token: text.slice(0, jws ? end + last.length : end), disclosures, keyBinding: jws };
}
