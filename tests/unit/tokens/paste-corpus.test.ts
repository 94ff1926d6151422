/**
 * Pastes as responders have them, in one table: a HAR export, curl -v, a CI log, kubeconfig and
 * Secret YAML, a .env file, a callback URL, a chat message, an e-mail that wrapped a token, a stack
 * trace, an OpenID4VP answer, a callback percent-encoded in a URL. Each row says what the inspector must find in it (the names, in
 * order) and what it reads first, or that it refuses the paste and why. A change to the paste
 * rules that moves any of these shows here, row by row, rather than in a rule's own test.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findTokensInPaste } from '../../../electron/core/tokens/find-in-paste';
import type { Inspection } from '../../../shared/tokens';
import { b64, claims, handMade, hmacWith, inspect, now } from '../../support/hand-made-tokens';

const SECRET = 'k'.repeat(32);
const sign = hmacWith(SECRET);
const accessToken = handMade({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' }, claims({ client_id: 'web' }), sign);
const idToken = handMade({ alg: 'HS256', typ: 'JWT', kid: 'k1' }, claims({ nonce: 'n-0S6', at_hash: 'x', aud: 'web' }), sign);
const sessionCookie = handMade({ alg: 'HS256', typ: 'JWT' }, { sid: 's-1', sub: 'user-1', iat: now - 60, exp: now + 600 }, sign);
const serviceAccount = handMade({ alg: 'HS256', kid: 'sa' }, { iss: 'kubernetes/serviceaccount', sub: 'system:serviceaccount:ci:deployer', 'kubernetes.io/serviceaccount/namespace': 'ci' }, sign);
const pat = 'ghp_R7kQ2mX9pL4vN8sT1wZ6yB3cF5hJ0dG2aE7u';
const googleAccess = 'ya29.a0AfB_byC9kQx2LmZ7pR4tW8vN1sJ6hD3fG5yU0oI2eT7rQ9wK4mX8nB1vC6zL3';
const opaqueRefresh = 'Qm8xZk2pR7vL4nT9sW1yB6cH3jD5fG0aE2rT8uY1';
const disclosure = b64(['bXq8-Pa3xvY2Rk7nQfJ4Vw', 'given_name', 'Erika']);
const sdJwt = `${handMade({ alg: 'HS256', typ: 'dc+sd-jwt' }, { iss: 'https://issuer.example.com', _sd: [createHash('sha256').update(disclosure).digest('base64url')], _sd_alg: 'sha-256', exp: now + 600 }, sign)}~${disclosure}~`;
/** A token as an e-mail client wraps it, at 76 columns. */
const wrapped = (token: string) => token.match(/.{1,76}/g)!.join('\n');

interface Row {
  what: string;
  paste: string;
  /** The names of the tokens found, in order; null when the paste is read as one token. */
  names: (string | null)[] | null;
  /** What the first token is read as. */
  kind?: Inspection['kind'];
  /** The paste is refused whole: the summary says why. */
  refused?: RegExp;
}

const ROWS: Row[] = [
  {
    what: 'a HAR export: a request header and a cookie',
    paste: JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: 'https://api.example.com/orders', headers: [{ name: 'Authorization', value: `Bearer ${accessToken}` }, { name: 'Accept', value: 'application/json' }], cookies: [{ name: 'session', value: sessionCookie }] } }] } }, null, 2),
    // Named by the "name" beside each "value".
    names: ['Authorization', 'session'],
    kind: 'access_token',
  },
  {
    what: 'curl -v: the request header sent and the cookie set',
    paste: `*   Trying 203.0.113.7:443...\n> GET /orders HTTP/2\n> Host: api.example.com\n> Authorization: Bearer ${accessToken}\n> Accept: */*\n>\n< HTTP/2 200\n< set-cookie: session=${sessionCookie}; Path=/; HttpOnly; Secure\n< content-type: application/json`,
    names: ['Authorization', 'session'],
    kind: 'access_token',
  },
  {
    what: 'a GitHub Actions log line with a timestamp',
    paste: `2026-11-23T10:00:01.1234567Z ##[debug]Evaluating: token=${accessToken}\n2026-11-23T10:00:01.2234567Z ##[debug]Result: true`,
    names: ['token'],
    kind: 'access_token',
  },
  {
    what: 'a kubeconfig user with a service account token',
    paste: `apiVersion: v1\nkind: Config\nusers:\n- name: deployer\n  user:\n    token: ${serviceAccount}\ncontexts: []`,
    names: ['token'],
    kind: 'jwt',
  },
  {
    what: "a Deployment's env entries",
    paste: `    spec:\n      containers:\n      - name: api\n        env:\n        - name: LOG_LEVEL\n          value: info\n        - name: UPSTREAM_TOKEN\n          value: "${accessToken}"`,
    names: ['UPSTREAM_TOKEN'],
    kind: 'access_token',
  },
  {
    what: 'a Secret manifest with stringData',
    paste: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: github\nstringData:\n  GITHUB_TOKEN: ${pat}\n  api-token: ${opaqueRefresh}\n  DB_PASSWORD: ${opaqueRefresh}`,
    names: ['GITHUB_TOKEN', 'api-token'],
    kind: 'opaque',
  },
  {
    what: 'a .env file: tokens named, the password not',
    paste: `# production\nGITHUB_TOKEN=${pat}\nDATABASE_PASSWORD=${opaqueRefresh}\nAUTH0_ACCESS_TOKEN=${accessToken}\n`,
    names: ['GITHUB_TOKEN', 'AUTH0_ACCESS_TOKEN'],
    kind: 'opaque',
  },
  {
    what: 'an implicit-flow callback URL',
    paste: `https://app.example.com/callback#access_token=${accessToken}&token_type=Bearer&expires_in=3600&id_token=${idToken}&state=af0ifjsldkj`,
    names: ['access_token', 'id_token'],
    kind: 'access_token',
  },
  {
    // As a proxy or an IdP logs the login that came back: the callback is a parameter of another URL, percent-encoded.
    what: 'a callback URL percent-encoded inside another URL',
    paste: `GET /login?return_to=https%3A%2F%2Fapp.example.com%2Fcallback%23id_token%3D${idToken}%26state%3Daf0ifjsldkj%26access_token%3D${accessToken} HTTP/1.1`,
    names: ['id_token', 'access_token'],
    kind: 'id_token',
  },
  {
    what: 'a provider token percent-encoded inside a redirect URL',
    paste: `redirect=https%3A%2F%2Fci.example.com%2Fhook%3Fapi_key%3D${pat}%26branch%3Dmain`,
    names: ['api_key'],
    kind: 'opaque',
  },
  {
    // Java's URLEncoder writes an SD-JWT's ~ as %7E: read with its tail, or it would lack its disclosures.
    what: 'an SD-JWT in a form body with each ~ percent-encoded',
    paste: `vp_token=${sdJwt.replaceAll('~', '%7E')}&presentation_submission=%7B%22id%22%3A%22ps-1%22%7D`,
    names: ['vp_token'],
    kind: 'sd_jwt',
  },
  {
    what: 'a JWT followed by %7E and no SD-JWT: one broken token, not a token and text',
    paste: `https://api.example.com/v1?assertion=${accessToken}%7Ebackup&x=1`,
    names: null,
    refused: /goes on with "%"/,
  },
  {
    what: 'a parameter after a literal percent sign, and a token glued by = to the one it would name',
    paste: `discount 100%token=${accessToken} and ${pat}%3D${idToken}`,
    names: ['token', null],
    kind: 'access_token',
  },
  {
    what: 'a token whose base64 padding was percent-encoded: one broken token, not a token and text',
    paste: `https://api.example.com/v1?assertion=${accessToken}%3D%3D&x=1`,
    names: null,
    refused: /goes on with "%"/,
  },
  {
    what: "Google's token endpoint answer",
    paste: JSON.stringify({ access_token: googleAccess, expires_in: 3599, refresh_token: opaqueRefresh, scope: 'openid email', token_type: 'Bearer', id_token: idToken }, null, 2),
    names: ['access_token', 'refresh_token', 'id_token'],
    kind: 'opaque',
  },
  {
    what: 'a DPoP request: the proof and the token it comes with',
    paste: `POST /orders HTTP/1.1\nHost: api.example.com\nAuthorization: DPoP ${accessToken}\nDPoP: ${idToken}\n`,
    names: ['Authorization', 'DPoP'],
    kind: 'access_token',
  },
  {
    what: 'a token in a JSON string with its scheme',
    paste: `{"headers": {"authorization": "Bearer ${accessToken}", "x-request-id": "r-1"}}`,
    names: ['authorization'],
    kind: 'access_token',
  },
  {
    what: 'a chat message with typographic quotes around the token',
    paste: `can someone check this one? “${accessToken}” it fails on /orders`,
    names: [null],
    kind: 'access_token',
  },
  {
    what: 'an e-mail that wrapped the token at 76 columns, text above and below',
    paste: `Hi team,\n\nthe token from the incident:\n\n${wrapped(accessToken)}\n\nThanks,\nAlex`,
    names: [null],
    kind: 'access_token',
  },
  {
    what: 'a Python stack trace naming the token after a colon',
    paste: `Traceback (most recent call last):\n  File "app.py", line 42, in auth\njwt.exceptions.ExpiredSignatureError: invalid token ${accessToken}: Signature has expired`,
    names: [null],
    kind: 'access_token',
  },
  {
    what: 'an OpenID4VP answer carrying an SD-JWT',
    paste: `vp_token=${sdJwt}&presentation_submission=%7B%22id%22%3A%22ps%22%7D&state=af0`,
    names: ['vp_token'],
    kind: 'sd_jwt',
  },
  {
    what: 'a token pasted alone with quotes and Bearer, as copied from a header',
    paste: `  "Bearer ${accessToken}"\n`,
    names: null,
    kind: 'access_token',
  },
  {
    what: 'a log line whose token has a Cyrillic letter, beside a good token',
    paste: `ok ${idToken}\nfailed ${accessToken.slice(0, 40)}\u0435${accessToken.slice(41)}`,
    names: null,
    refused: /^The JWT at character \d+ of the paste goes on with U\+0435/,
  },
  {
    what: 'a redacted token in a ticket, beside the one to read',
    paste: `prod: ${accessToken.slice(0, 60)}***REDACTED***\nstaging: ${idToken}`,
    names: null,
    refused: /goes on with "\*", which no token has: a redaction/,
  },
  {
    what: 'a Docker config: registry credentials, which are Basic, not a token',
    paste: JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from(`deployer:${opaqueRefresh}`).toString('base64') } } }),
    names: null,
    kind: 'unknown',
  },
];

describe('pastes as responders have them', () => {
  it.each(ROWS)('$what', async ({ paste, names, kind, refused }) => {
    const result = await inspect(paste);
    if (refused) {
      expect(result.verdict).toBe('unparseable');
      expect(result.summary).toMatch(refused);
      return;
    }
    expect(result.inPaste?.names ?? null).toEqual(names);
    if (names) expect(findTokensInPaste(paste).found.map((f) => f.name)).toEqual(names);
    expect(result.kind).toBe(kind);
  });
});
