/**
 * A server's published keys (RFC 7517 JWK Set), read key by key: one malformed or dangerous key
 * is reported with its reason and the usable ones are kept, so a responder sees exactly what the
 * server publishes. Each key is named by its RFC 7638 thumbprint, which does not depend on the
 * kid a server chose, and carries its public members only.
 */
import { createHash, createPublicKey, type JsonWebKey as NodeJwk } from 'node:crypto';
import type { JWK } from 'jose';
import { CoreError } from '../errors';
import { publicKeyFlaw, publicKeyRefusal } from '../tokens/key-flaws';
import { PRIVATE_JWK_MEMBERS } from '../tokens/keys';
import { endpointUrlProblem } from './discovery';
import { describeUrl, failureFor, quoteServerText, readJson, type HttpClient } from './http';

export interface JwksKey {
  kid: string | null;
  kty: string;
  alg: string | null;
  use: string | null;
  /** RFC 7638 SHA-256 thumbprint, base64url. */
  thumbprint: string;
  /** Public members only. */
  jwk: JWK;
}

export interface JwksRejected {
  index: number;
  kid: string | null;
  reason: string;
}

const MAX_KEYS = 100;
const MAX_JWKS_BYTES = 256 * 1024;
const MIN_RSA_BITS = 2048;
const CURVES: Record<string, string[]> = { EC: ['P-256', 'P-384', 'P-521'], OKP: ['Ed25519', 'Ed448', 'X25519', 'X448'] };

/** Which algs fit which key: a JWK that says otherwise is confused, or built to confuse. */
function algFits(alg: string, kty: string, crv: string | undefined): boolean {
  if (kty === 'RSA') return /^(RS|PS)(256|384|512)$/.test(alg) || /^RSA-OAEP(-256|-384|-512)?$/.test(alg) || alg === 'RSA1_5';
  if (kty === 'EC') {
    if (/^ECDH-ES/.test(alg)) return true;
    return ({ ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' } as Record<string, string>)[alg] === crv;
  }
  if (kty === 'OKP') return crv?.startsWith('X') ? /^ECDH-ES/.test(alg) : alg === 'EdDSA' || alg === crv;
  return false;
}

/** RFC 7638 over the key as Node re-exports it, so leading zeros or padding cannot fork the name. */
function thumbprintOf(members: NodeJwk): string {
  const required = members.kty === 'RSA' ? { e: members.e, kty: members.kty, n: members.n } : members.kty === 'EC' ? { crv: members.crv, kty: members.kty, x: members.x, y: members.y } : { crv: members.crv, kty: members.kty, x: members.x };
  return createHash('sha256').update(JSON.stringify(required)).digest('base64url');
}

function readKey(raw: unknown, seenKids: Map<string, { kty: string; index: number }>, index: number): JwksKey | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'is not a JSON object';
  const jwk = raw as Record<string, unknown>;
  const kty = jwk.kty;
  if (typeof kty !== 'string') return 'has no "kty"';
  if (kty === 'oct') return 'is a symmetric (oct) key: a shared secret must never be published';
  if (!(kty === 'RSA' || kty === 'EC' || kty === 'OKP')) return `has an unknown key type "${quoteServerText(kty, 20)}"`;
  const exposed = PRIVATE_JWK_MEMBERS.filter((m) => m in jwk);
  if (exposed.length) return `publishes private key material (${exposed.join(', ')}): this key is compromised and must be rotated`;
  for (const member of kty === 'RSA' ? ['n', 'e'] : kty === 'EC' ? ['crv', 'x', 'y'] : ['crv', 'x']) {
    if (typeof jwk[member] !== 'string' || jwk[member] === '') return `is missing "${member}"`;
  }
  const crv = typeof jwk.crv === 'string' ? jwk.crv : undefined;
  if (crv !== undefined && !CURVES[kty].includes(crv)) return `uses the curve "${quoteServerText(crv, 20)}", which is not allowed for ${kty} keys`;
  for (const member of ['kid', 'alg', 'use'] as const) {
    if (member in jwk && typeof jwk[member] !== 'string') return `has a "${member}" that is not a string`;
  }
  const kid = typeof jwk.kid === 'string' ? jwk.kid : null;
  const alg = typeof jwk.alg === 'string' ? jwk.alg : null;
  if (alg !== null && !algFits(alg, kty, crv)) return `says alg "${quoteServerText(alg, 20)}", which does not fit a ${kty}${crv ? ` ${crv}` : ''} key`;
  let exported: NodeJwk;
  try {
    const key = createPublicKey({ key: jwk as NodeJwk, format: 'jwk' });
    // A key anyone can sign for is worse than a small one: say so before its size.
    const flaw = publicKeyFlaw(key);
    if (flaw?.code === 'KEY_FORGEABLE') return `is a key anyone can sign for (${flaw.reason}): whatever it "verifies" proves nothing`;
    const refusal = publicKeyRefusal(key);
    if (refusal) return `is not used: ${refusal}`;
    if (kty === 'RSA' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) return `is an RSA key of ${key.asymmetricKeyDetails?.modulusLength} bits, under the ${MIN_RSA_BITS} bits required`;
    exported = key.export({ format: 'jwk' });
  } catch {
    return 'is not a valid public key (its numbers do not form a key)';
  }
  if (kid !== null) {
    const earlier = seenKids.get(kid);
    // RFC 7517 §4.5 lets keys of different types share a kid; two of the same type are ambiguous.
    if (earlier && earlier.kty === kty) return `repeats the kid of key ${earlier.index}, so a verifier could not tell them apart`;
    seenKids.set(kid, { kty, index });
  }
  const publicJwk = Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_JWK_MEMBERS.includes(name))) as JWK;
  return { kid, kty, alg, use: typeof jwk.use === 'string' ? jwk.use : null, thumbprint: thumbprintOf(exported), jwk: publicJwk };
}

/** The usable keys of a JWK Set and, for each one refused, why. Throws only when it is not a set. */
export function parseJwks(json: unknown): { keys: JwksKey[]; rejected: JwksRejected[] } {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { keys?: unknown }).keys)) {
    throw new CoreError('SERVER_BAD_RESPONSE', 'The JWKS has no "keys" array, so it is not a JWK Set (RFC 7517 §5).');
  }
  const raw = (json as { keys: unknown[] }).keys;
  const keys: JwksKey[] = [];
  const rejected: JwksRejected[] = [];
  const seenKids = new Map<string, { kty: string; index: number }>();
  raw.forEach((entry, index) => {
    const kid = typeof entry === 'object' && entry !== null && typeof (entry as { kid?: unknown }).kid === 'string' ? quoteServerText((entry as { kid: string }).kid, 100) : null;
    if (index >= MAX_KEYS) {
      rejected.push({ index, kid, reason: `Key ${index} was not read: CredOps reads the first ${MAX_KEYS} keys of a set.` });
      return;
    }
    const key = readKey(entry, seenKids, index);
    if (typeof key === 'string') rejected.push({ index, kid, reason: `Key ${index}${kid ? ` (kid ${kid})` : ''} ${key}.` });
    else keys.push(key);
  });
  return { keys, rejected };
}

export async function fetchJwks(http: HttpClient, jwksUri: string): Promise<{ keys: JwksKey[]; rejected: JwksRejected[] }> {
  const problem = endpointUrlProblem(jwksUri);
  if (problem) throw new CoreError('SERVER_BAD_RESPONSE', `The jwks_uri ${describeUrl(jwksUri)} ${problem}.`);
  const what = `the JWKS at ${describeUrl(jwksUri)}`;
  const answer = await http.request({ method: 'GET', url: jwksUri, headers: { accept: 'application/jwk-set+json, application/json' }, maxBytes: MAX_JWKS_BYTES });
  if (answer.status !== 200) throw failureFor(answer, what);
  return parseJwks(readJson(answer, what));
}
