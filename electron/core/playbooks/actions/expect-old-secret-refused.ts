/**
 * expectOldSecretRefused: asks the run's server for a token (client credentials grant) with the
 * secret the credential had when the run started, and is ok only when the server refuses the
 * client (401, or invalid_client). The client's registered authentication method is not known
 * here, and a server also answers invalid_client to the wrong method, so the old secret is tried
 * with client_secret_post and client_secret_basic: refused by both, it is refused. A token issued
 * means the rotation did not take: the step fails, loudly, and the token CredOps obtained is
 * revoked at once with the console's admin client.
 */
import { fingerprintSecret, displayFingerprint } from '../../credentials/fingerprint';
import { openCredentialSecret } from '../../credentials/store';
import { CoreError } from '../../errors';
import { postAuthenticated, type ServerConnection } from '../../servers/connection';
import { endpointOf } from '../../servers/discovery';
import { failureFor, serverError } from '../../servers/http';
import { revokeToken } from '../../servers/revocation';
import { connectRunServer } from './server';
import { endpoint, type ActionContext, type StepActionDef } from './types';

const METHODS = ['client_secret_post', 'client_secret_basic'] as const;
type Method = (typeof METHODS)[number];
type Attempt = { kind: 'refused'; said: string } | { kind: 'issued'; token: string | null } | { kind: 'inconclusive'; said: string };

async function attempt(admin: ServerConnection, method: Method, clientId: string, secret: string): Promise<Attempt> {
  const conn: ServerConnection = { http: admin.http, metadata: admin.metadata, auth: { method, clientId, clientSecret: secret } };
  const url = endpointOf(admin.metadata, 'token_endpoint', 'request a token');
  return postAuthenticated(conn, url, { grant_type: 'client_credentials' }, [], (answer): Attempt => {
    if (answer.status === 200) {
      let token: string | null = null;
      try {
        const json = JSON.parse(answer.text) as { access_token?: unknown };
        token = typeof json.access_token === 'string' ? json.access_token : null;
      } catch {
        // A 200 is a success whatever its body: the secret was accepted.
      }
      return { kind: 'issued', token };
    }
    const { error } = serverError(answer);
    // Only the authorization server's own word counts: a proxy's or WAF's bare 401 proves nothing.
    if (error === 'invalid_client') return { kind: 'refused', said: `HTTP ${answer.status} invalid_client` };
    return { kind: 'inconclusive', said: failureFor(answer, 'the token endpoint').message };
  });
}

/** The credential's current secret must obtain a token at this server (which is then revoked at once). */
async function positiveControl(ctx: ActionContext, admin: ServerConnection): Promise<{ ok: boolean; detail: string }> {
  if (!ctx.run.credentialId || !ctx.clientId) return { ok: false, detail: 'the run has no credential whose current secret could show that this server knows the client.' };
  const current = openCredentialSecret(ctx.vault(), ctx.run.credentialId, 'clientAuth');
  if (current.trim() === ctx.oldSecret?.trim()) return { ok: false, detail: 'the inventory still holds the old secret; record the new one first.' };
  for (const method of METHODS) {
    const outcome = await attempt(admin, method, ctx.clientId, current);
    if (outcome.kind === 'issued') {
      if (outcome.token) await revokeToken(admin, outcome.token).catch(() => null);
      return { ok: true, detail: `Control: the current secret obtained a token by ${method} (revoked at once), so this server knows the client.` };
    }
  }
  return { ok: false, detail: 'the current secret is refused too, so this may not be the server or the client the credential belongs to.' };
}

export const expectOldSecretRefused: StepActionDef = {
  needsServer: true,
  plan(ctx) {
    return [{ method: 'POST', url: endpoint(ctx, 'token_endpoint'), purpose: `Request a token (client_credentials) as ${ctx.clientId ?? 'the client'} with the old secret, by client_secret_post then client_secret_basic; expect invalid_client; then once with the current secret, expecting a token (revoked at once)`, count: METHODS.length }];
  },
  check: async () => false,
  async execute(ctx) {
    if (!ctx.oldSecret || !ctx.clientId) throw new CoreError('STEP_NOT_READY', 'No old secret was captured when this run started (the credential held no client secret, or no client id), so there is nothing to try.');
    const { row, connection } = await connectRunServer(ctx);
    const details: string[] = [];
    let refusals = 0;
    for (const method of METHODS) {
      const outcome = await attempt(connection, method, ctx.clientId, ctx.oldSecret);
      if (outcome.kind === 'issued') {
        details.push(`${row.name} issued a token to ${ctx.clientId} for the old secret sent by ${method}.`);
        if (outcome.token) {
          details.push(`The token CredOps obtained (${displayFingerprint(fingerprintSecret(ctx.vault().fingerprintKey, outcome.token))}) ${(await revokeToken(connection, outcome.token).catch(() => null))?.kind === 'revoked' ? 'was revoked at once' : 'could not be revoked: it expires on its own'}.`);
        }
        return {
          ok: false,
          summary: `THE OLD SECRET STILL WORKS: ${row.name} issued a token to ${ctx.clientId} with it. Anyone holding the leaked secret can still get tokens. Rotate the secret at the server now, then run this step again.`,
          details,
        };
      }
      details.push(`${method}: ${outcome.kind === 'refused' ? `refused (${outcome.said})` : `no verdict — ${outcome.said}`}`);
      if (outcome.kind === 'refused') refusals++;
    }
    if (refusals === METHODS.length) {
      // A refusal proves something only if this server knows the client: the current secret must work.
      const control = await positiveControl(ctx, connection);
      details.push(control.detail);
      if (!control.ok) return { ok: false, summary: `Could not prove that ${row.name} refuses the old secret of ${ctx.clientId}: ${control.detail}`, details };
      return { ok: true, summary: `${row.name} refuses the old secret of ${ctx.clientId} (invalid_client) and accepts the current one.`, details };
    }
    return { ok: false, summary: `Could not prove that ${row.name} refuses the old secret of ${ctx.clientId}: it did not answer invalid_client.`, details };
  },
};
