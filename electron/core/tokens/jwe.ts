/**
 * An encrypted token (JWE, five parts): its header is shown; with a key, it is decrypted and what
 * it carries (usually a signed JWT, RFC 7519 §5.2) is inspected in turn.
 */
import { createPrivateKey, createSecretKey, type KeyObject } from 'node:crypto';
import { compactDecrypt } from 'jose';
import type { InspectRequest, KeySource } from '../../../shared/tokens';
import { explainClaims } from './claims';
import { policyFindings, timeFindings } from './claim-checks';
import { DecodeError, decodeBase64url, decodeJsonObject } from './decode';
import { headerFindings, type Finding } from './header-checks';
import type { Answer, InspectContext } from './inspect';

interface Helpers {
  inspectAny(input: string, request: InspectRequest, ctx: InspectContext, depth: number): Promise<Answer>;
  answer(partial: Partial<Answer> & Pick<Answer, 'verdict' | 'summary' | 'kind'>): Answer;
  strip(findings: Finding[]): Answer['findings'];
  notAToken(token: string, reason: string): Answer;
}

async function decryptionKey(source: KeySource, ctx: InspectContext): Promise<KeyObject> {
  switch (source.kind) {
    case 'hmac':
      return createSecretKey(Buffer.from(source.secret, source.encoding === 'text' ? 'utf8' : source.encoding));
    case 'pem':
      return createPrivateKey(source.pem);
    case 'jwk': {
      const jwk = JSON.parse(source.jwk) as { kty?: string; k?: string };
      return jwk.kty === 'oct' && jwk.k ? createSecretKey(Buffer.from(jwk.k, 'base64url')) : createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    }
    case 'jwks':
      throw new Error('a key set holds public keys; decrypting needs the private key or the shared secret');
    case 'credential': {
      const { secret, kind } = await ctx.credentialSecret(source.credentialId);
      if (kind !== 'signing_key') return createSecretKey(Buffer.from(secret, 'utf8'));
      const trimmed = secret.trim();
      return trimmed.startsWith('{') ? createPrivateKey({ key: JSON.parse(trimmed) as import('node:crypto').JsonWebKey, format: 'jwk' }) : createPrivateKey(trimmed);
    }
  }
}

export async function inspectJwe(token: string, request: InspectRequest, ctx: InspectContext, depth: number, helpers: Helpers): Promise<Answer> {
  let header: Record<string, unknown>;
  try {
    header = decodeJsonObject(decodeBase64url(token.split('.')[0], 'header'), 'header');
  } catch (error) {
    if (error instanceof DecodeError) return helpers.notAToken(token, error.message);
    throw error;
  }
  const findings: Finding[] = headerFindings({ ...header, alg: header.alg === 'none' ? 'none' : header.alg }, null).filter((f) => f.code !== 'MALFORMED' || f.where !== 'header.alg');
  const described = `${typeof header.alg === 'string' ? header.alg : '?'} / ${typeof header.enc === 'string' ? header.enc : '?'}`;
  const headerText = JSON.stringify(header, null, 2);
  if (!request.key) {
    findings.push({ code: 'ENCRYPTED', severity: 'info', where: 'header.enc', message: `Encrypted (${described}). Give the decryption key (the private key or shared secret) to read what it carries.`, blocking: false });
    return helpers.answer({ verdict: 'unverifiable', kind: 'jwe', summary: `An encrypted token (${described}): only the header can be read without its key.`, header: headerText, findings: helpers.strip(findings) });
  }
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(token, await decryptionKey(request.key, ctx)));
  } catch (error) {
    findings.push({ code: 'ENCRYPTED', severity: 'info', where: 'header.enc', message: `Encrypted (${described}), and the key given does not decrypt it: ${(error as Error).message.slice(0, 200)}.`, blocking: false });
    return helpers.answer({ verdict: 'unverifiable', kind: 'jwe', summary: 'An encrypted token the key given does not open.', header: headerText, findings: helpers.strip(findings) });
  }
  findings.push({ code: 'ENCRYPTED', severity: 'info', where: 'header.enc', message: `Encrypted (${described}) and decrypted with the key given.`, blocking: false });
  const inner = Buffer.from(plaintext).toString('utf8');
  if (depth === 0 && inner.split('.').length === 3) {
    const nested = await helpers.inspectAny(inner, { ...request, key: null }, ctx, depth + 1);
    findings.push({ code: 'NESTED_TOKEN', severity: 'info', where: 'payload', message: `It carries a signed token (${nested.kind}); give its issuer's key and inspect that token to verify its signature.`, blocking: false });
    return { ...nested, header: headerText, findings: helpers.strip([...findings, ...nested.findings.map((f) => ({ ...f, blocking: false }))]), summary: `Decrypted. Inside: ${nested.summary}` };
  }
  let claims: Record<string, unknown>;
  try {
    claims = decodeJsonObject(Buffer.from(plaintext), 'decrypted payload');
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return helpers.answer({ verdict: 'unparseable', kind: 'jwe', header: headerText, summary: `Decrypted, but ${error.message}`, findings: helpers.strip(findings) });
  }
  findings.push(...timeFindings(claims, request.policy, ctx.nowMs), ...policyFindings(claims, request.policy));
  const blocking = findings.filter((f) => f.blocking);
  return helpers.answer({
    verdict: blocking.length ? 'invalid' : 'valid',
    summary: blocking.length ? `Invalid: ${helpers.strip(blocking)[0].message}` : 'Valid: decrypted with the key given (which proves it was not altered), and every check passes.',
    kind: 'jwe',
    header: headerText,
    claims: explainClaims(claims),
    signature: { alg: typeof header.alg === 'string' ? header.alg : null, verified: true, key: 'the decryption key given' },
    findings: helpers.strip(findings),
  });
}
