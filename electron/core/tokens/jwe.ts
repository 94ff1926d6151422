/**
 * An encrypted token (JWE, five parts): its header is shown; with a key, it is decrypted and what
 * it carries (usually a signed JWT, RFC 7519 §5.2) is inspected in turn.
 */
import { createPrivateKey, createSecretKey, type KeyObject } from 'node:crypto';
import { compactDecrypt } from 'jose';
import type { InspectRequest, KeySource } from '../../../shared/tokens';
import { isCoreError } from '../errors';
import { claimsForScreen, exactClaimTexts, impreciseNumberFindings } from './claims';
import { policyFindings, recheckAtMs, timeFindings } from './claim-checks';
import { DecodeError, decodeBase64url, decodeJsonObject } from './decode';
import { headerFindings, typFindings, type Finding } from './header-checks';
import { KeyError, parseJsonText, secretBytes } from './keys';
import { isWeakHmacSecret } from './weak-secrets';
import { answer, MAX_HEADER_CHARS, MAX_PAYLOAD_BYTES, strip, validSummary, type Answer } from './answer';
import { contentFindings, nestedFindings, type InspectContext } from './inspect';
import { notAToken } from './not-a-token';
import { carriesToken } from './sd-jwt-in-paste';

/** The inspector's own entry, for the token a JWE carries: passed in, as it is the inspector that imports this file. */
type InspectAny = (input: string, request: InspectRequest, ctx: InspectContext, depth: number) => Promise<Answer>;

/** Every key management algorithm jose knows, PBES2 included (off by default); its count is capped below. */
const KEY_MANAGEMENT = ['dir', 'A128KW', 'A192KW', 'A256KW', 'A128GCMKW', 'A192GCMKW', 'A256GCMKW', 'RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW', 'PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW'];
/**
 * OWASP's figure for PBKDF2-HMAC-SHA256 (600,000, 2023), and for SHA-384 and SHA-512 the count
 * that costs as much here (a round of SHA-512 costs about 1.5 of SHA-256). A bigger count only
 * makes each keystroke slower.
 */
const MAX_PBES2_COUNT: Readonly<Record<string, number>> = { 'PBES2-HS256+A128KW': 600_000, 'PBES2-HS384+A192KW': 400_000, 'PBES2-HS512+A256KW': 400_000 };

/**
 * What each content encryption fixes (RFC 7518 §5.2, §5.3): the key length when the key is used
 * directly ("dir"), and the lengths of the IV and the authentication tag.
 */
const CONTENT_ENCRYPTION: Readonly<Record<string, { keyBytes: number; ivBytes: number; tagBytes: number }>> = {
  A128GCM: { keyBytes: 16, ivBytes: 12, tagBytes: 16 },
  A192GCM: { keyBytes: 24, ivBytes: 12, tagBytes: 16 },
  A256GCM: { keyBytes: 32, ivBytes: 12, tagBytes: 16 },
  'A128CBC-HS256': { keyBytes: 32, ivBytes: 16, tagBytes: 16 },
  'A192CBC-HS384': { keyBytes: 48, ivBytes: 16, tagBytes: 24 },
  'A256CBC-HS512': { keyBytes: 64, ivBytes: 16, tagBytes: 32 },
};
const contentEncryption = (enc: unknown) => (typeof enc === 'string' && Object.hasOwn(CONTENT_ENCRYPTION, enc) ? CONTENT_ENCRYPTION[enc] : null);

/** Key management where the key is shared rather than a key pair: a well-known one lets anyone read and make tokens. */
const SHARED_KEY_MANAGEMENT = /^(dir|A(128|192|256)(GCM)?KW|PBES2-.*)$/;

/**
 * What a JWE's own parts show without any key: an authentication tag stripped or cut short (the
 * JWE form of a stripped signature), an IV of the wrong size, a key where none belongs.
 */
function partFindings(header: Record<string, unknown>, parts: string[]): Finding[] {
  const spec = contentEncryption(header.enc);
  if (!spec) return [];
  const [, encryptedKey, iv, , tag] = parts;
  const bytes = (part: string) => Math.floor((part.length * 3) / 4);
  const findings: Finding[] = [];
  if (bytes(tag) !== spec.tagBytes) {
    findings.push({ code: 'MALFORMED', severity: 'critical', where: 'tag', message: `The authentication tag is ${tag === '' ? 'missing' : `${bytes(tag)} bytes`}; ${header.enc as string} makes one of ${spec.tagBytes} (RFC 7518 §5): stripped or cut short, so nothing proves the content unaltered. Reject it.`, blocking: true });
  }
  if (bytes(iv) !== spec.ivBytes) {
    findings.push({ code: 'MALFORMED', severity: 'high', where: 'iv', message: `The IV is ${bytes(iv)} bytes; ${header.enc as string} uses ${spec.ivBytes} (RFC 7518 §5). Reject it.`, blocking: true });
  }
  if ((header.alg === 'dir' || header.alg === 'ECDH-ES') && encryptedKey !== '') {
    findings.push({ code: 'MALFORMED', severity: 'high', where: 'encrypted key', message: `With "${header.alg}" the encrypted key must be empty (RFC 7518 §4.5, §4.6), and this one is not. Reject it.`, blocking: true });
  }
  return findings;
}

/** A shared secret of the wrong length for "dir": said as such, not as a malformed token. */
function wrongDirectKey(header: Record<string, unknown>, key: KeyObject): string | null {
  if (header.alg !== 'dir' || key.type !== 'secret') return null;
  const needed = contentEncryption(header.enc)?.keyBytes;
  const length = key.symmetricKeySize!;
  return needed !== undefined && length !== needed ? `${header.enc as string} used directly needs a ${needed}-byte key, and the one given is ${length} bytes (check its encoding)` : null;
}

/** Our own sentence for why a JWE did not open: a parser's message can quote what was pasted. */
function whyNotDecrypted(error: unknown, described: string): string {
  switch ((error as { code?: unknown }).code) {
    case 'ERR_JOSE_NOT_SUPPORTED':
      return `CredOps cannot decrypt ${described}, or a "crit" extension it does not know is required`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return `CredOps does not decrypt ${described}`;
    case 'ERR_JWE_INVALID':
      return 'its header or parts are malformed, or a size is beyond what CredOps computes (a compressed payload over 250 KB)';
    case 'ERR_JWE_DECRYPTION_FAILED':
    default:
      return 'the key does not fit, or the token was altered';
  }
}

/** The key to decrypt with, or a KeyError saying in our words why what was given cannot be one. */
function decryptionKey(source: KeySource, ctx: InspectContext): KeyObject {
  try {
    return keyFrom(source, ctx);
  } catch (error) {
    // A locked vault or a vanished credential is the caller's error answer, as for a JWS.
    if (isCoreError(error)) throw error;
    if (error instanceof KeyError) throw error;
    if (source.kind === 'pem' && /ENCRYPTED/.test(source.pem)) throw new KeyError('the private key given is protected by a passphrase; give it unprotected (CredOps keeps nothing pasted)');
    throw new KeyError(source.kind === 'pem' || source.kind === 'jwk' ? 'decrypting needs the private key or the shared secret, and this is neither (a public key, or not a key)' : 'it is not a key CredOps can decrypt with');
  }
}

function keyFrom(source: KeySource, ctx: InspectContext): KeyObject {
  switch (source.kind) {
    case 'hmac':
      return createSecretKey(secretBytes(source.secret, source.encoding));
    case 'pem':
      return createPrivateKey(source.pem);
    case 'jwk': {
      const jwk = parseJsonText(source.jwk, 'JWK') as { kty?: string; k?: string };
      return jwk.kty === 'oct' && jwk.k ? createSecretKey(Buffer.from(jwk.k, 'base64url')) : createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    }
    case 'jwks':
    case 'server':
      throw new KeyError('a key set holds public keys; decrypting needs the private key or the shared secret');
    case 'credential': {
      const { secret, kind } = ctx.credentialSecret(source.credentialId);
      if (kind !== 'signing_key') return createSecretKey(Buffer.from(secret, 'utf8'));
      const trimmed = secret.trim();
      return trimmed.startsWith('{') ? createPrivateKey({ key: parseJsonText(trimmed, 'signing key') as import('node:crypto').JsonWebKey, format: 'jwk' }) : createPrivateKey(trimmed);
    }
  }
}

export async function inspectJwe(token: string, request: InspectRequest, ctx: InspectContext, depth: number, inspectAny: InspectAny): Promise<Answer> {
  const parts = token.split('.');
  if (parts[0].length > MAX_HEADER_CHARS) return notAToken(token, `the header is ${Math.round(parts[0].length / 1024)} KB; a real one is a few hundred bytes.`);
  let header: Record<string, unknown>;
  try {
    header = decodeJsonObject(decodeBase64url(parts[0], 'header'), 'header');
  } catch (error) {
    if (error instanceof DecodeError) return notAToken(token, error.message);
    throw error;
  }
  // Five parts make no JWE without "enc" (RFC 7516 §4.1.2): a JWS with dots after it (an ellipsis, a cut) is not called encrypted.
  if (typeof header.enc !== 'string') return notAToken(token, '5 parts separated by dots, but the header has no "enc", so it is no JWE; a JWS has 3 parts');
  // The policy's algorithms are signing algorithms, and its typ types the token inside (RFC 8725
  // §3.11): both are checked on what the JWE carries, once it is open.
  const brokenParts = partFindings(header, parts);
  const findings: Finding[] = [...headerFindings(header, request.policy ? { ...request.policy, algorithms: [], typ: null } : null, true), ...brokenParts];
  const blockingSummary = () => {
    const blocking = findings.filter((f) => f.blocking);
    return blocking.length ? { verdict: 'invalid' as const, summary: `Invalid: ${strip(blocking)[0].message}` } : null;
  };
  const described = `${typeof header.alg === 'string' ? header.alg : '?'} / ${typeof header.enc === 'string' ? header.enc : '?'}`;
  const headerText = JSON.stringify(header, null, 2);
  if (!request.key) {
    findings.push({ code: 'ENCRYPTED', severity: 'info', where: 'header.enc', message: `Encrypted (${described}). Give the decryption key (the private key or shared secret) to read what it carries.`, blocking: false });
    return answer({ ...(blockingSummary() ?? { verdict: 'unverifiable', summary: `An encrypted token (${described}): only the header can be read without its key.` }), kind: 'jwe', header: headerText, findings: strip(findings) });
  }
  const notOpened = (reason: string) => {
    findings.push({ code: 'ENCRYPTED', severity: 'info', where: 'header.enc', message: `Encrypted (${described}), and not decrypted: ${reason}.`, blocking: false });
    return answer({ ...(blockingSummary() ?? { verdict: 'unverifiable', summary: `An encrypted token CredOps did not open: ${reason}.` }), kind: 'jwe', header: headerText, findings: strip(findings) });
  };
  let key: KeyObject;
  try {
    key = decryptionKey(request.key, ctx);
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    return notOpened(error.message.replace(/\.$/, ''));
  }
  const keyProblem = wrongDirectKey(header, key);
  if (keyProblem) return notOpened(keyProblem);
  // Blocking findings of the parts (a stripped tag) are the answer already; decrypting adds nothing.
  if (brokenParts.length > 0) return notOpened('its parts are malformed (see the findings)');
  const maxCount = typeof header.alg === 'string' && Object.hasOwn(MAX_PBES2_COUNT, header.alg) ? MAX_PBES2_COUNT[header.alg] : 0;
  if (typeof header.p2c === 'number' && header.p2c > maxCount && maxCount > 0) {
    return notOpened(`its PBES2 count is ${header.p2c.toLocaleString('en-US')}, over the ${maxCount.toLocaleString('en-US')} CredOps computes for ${header.alg as string} (more only makes each keystroke slow)`);
  }
  // The ciphertext is at least as long as what it decrypts to (compressed, what it inflates to): refused before any work.
  const ciphertextBytes = Math.floor((parts[3].length * 3) / 4);
  if (ciphertextBytes > MAX_PAYLOAD_BYTES + 64) {
    const size = `${(ciphertextBytes / 1024 / 1024).toFixed(1)} MB`;
    findings.push({ code: 'MALFORMED', severity: 'high', where: 'ciphertext', message: `A ${size} ciphertext: real tokens are a few kilobytes, so CredOps does not decrypt it. It may be an attempt to exhaust a parser.`, blocking: true });
    return answer({ verdict: 'unparseable', kind: 'jwe', header: headerText, summary: `The ciphertext is ${size}, far beyond any real token, so CredOps does not decrypt it.`, findings: strip(findings) });
  }
  if (typeof header.alg === 'string' && SHARED_KEY_MANAGEMENT.test(header.alg) && key.type === 'secret' && isWeakHmacSecret(key.export())) {
    const what = header.alg.startsWith('PBES2') ? 'password' : 'key';
    findings.push({ code: 'WEAK_HMAC_SECRET', severity: 'critical', where: header.alg.startsWith('PBES2') ? 'header.p2s' : 'header.alg', message: `Encrypted under a well-known ${what}: anyone can decrypt it, and make one. Use a random key${what === 'password' ? ', or a long passphrase' : ''}.`, blocking: true });
  }
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(token, key, { keyManagementAlgorithms: KEY_MANAGEMENT, maxPBES2Count: MAX_PBES2_COUNT['PBES2-HS256+A128KW'] }));
  } catch (error) {
    return notOpened(whyNotDecrypted(error, described));
  }
  findings.push({ code: 'ENCRYPTED', severity: 'info', where: 'header.enc', message: `Encrypted (${described}) and decrypted with the key given.`, blocking: false });
  if (plaintext.length > MAX_PAYLOAD_BYTES) {
    const size = `${(plaintext.length / 1024 / 1024).toFixed(1)} MB`;
    findings.push({ code: 'MALFORMED', severity: 'high', where: 'payload', message: `It decrypts to ${size}: real tokens are a few kilobytes, so CredOps does not read it. It may be an attempt to exhaust a parser.`, blocking: true });
    return answer({ verdict: 'unparseable', kind: 'jwe', header: headerText, summary: `Decrypted to ${size}, far beyond any real token, so CredOps does not read it.`, findings: strip(findings) });
  }
  const inner = Buffer.from(plaintext).toString('utf8');
  if (depth === 0 && carriesToken(inner)) {
    const nested = await inspectAny(inner, { ...request, key: null }, ctx, depth + 1);
    findings.push(...nestedFindings(nested));
    const verdict = blockingSummary() ?? { verdict: nested.verdict === 'valid' ? ('valid' as const) : nested.verdict === 'invalid' ? ('invalid' as const) : ('unverifiable' as const), summary: `Decrypted. Inside: ${nested.summary}` };
    return { ...nested, ...verdict, header: headerText, findings: strip(findings) };
  }
  let claims: Record<string, unknown>;
  try {
    claims = decodeJsonObject(Buffer.from(plaintext), 'decrypted payload');
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return answer({ verdict: 'unparseable', kind: 'jwe', header: headerText, summary: `Decrypted, but ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`, findings: strip(findings) });
  }
  // Claims straight inside: this header is the only one to type the token.
  const exact = exactClaimTexts(claims, inner);
  findings.push(...typFindings(header, request.policy), ...timeFindings(claims, request.policy, ctx.nowMs), ...policyFindings(claims, request.policy, exact), ...contentFindings(claims, true), ...impreciseNumberFindings(exact));
  if (request.policy && request.policy.algorithms.length > 0) {
    findings.push({ code: 'ALG_NOT_ALLOWED', severity: 'high', where: 'header.alg', message: `The policy requires a signature by ${request.policy.algorithms.join(', ')}; this token is only encrypted (${described}) and carries claims with no signature inside.`, blocking: true });
  }
  // Decrypting proves who made it only when the key is shared: with RSA or ECDH key management,
  // anyone holding the recipient's public key can make one.
  const shared = typeof header.alg === 'string' && !/^(RSA|ECDH)/.test(header.alg);
  return answer({
    ...(blockingSummary() ??
      (shared
        ? { verdict: 'valid' as const, summary: validSummary(findings, 'Valid: decrypted with the shared key given (so whoever made it holds that key)') }
        : { verdict: 'unverifiable' as const, summary: `Decrypted, but ${header.alg} encryption proves nothing about who made it (anyone with the public key can): it carries no signature.` })),
    kind: 'jwe',
    header: headerText,
    ...claimsForScreen(claims, exact),
    claimsRead: true,
    recheckAtMs: recheckAtMs(claims, request.policy, ctx.nowMs),
    signature: { alg: typeof header.alg === 'string' ? header.alg : null, verified: shared ? true : null, key: 'the decryption key given' },
    findings: strip(findings),
  });
}
