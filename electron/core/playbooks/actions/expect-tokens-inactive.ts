/**
 * expectTokensInactive: introspects each of the step's tokens at the run's server and is ok only
 * when the server reports every one inactive. A token the server will not introspect (a
 * self-contained JWT) is not confirmed, and says so. A read, so running it again is its check.
 */
import { displayFingerprint, fingerprintSecret } from '../../credentials/fingerprint';
import { CoreError, isCoreError } from '../../errors';
import { introspectToken } from '../../servers/introspection';
import { connectRunServer, inPool } from './server';
import { endpoint, plural, type StepActionDef } from './types';

type Answer = 'inactive' | 'active' | 'unsupported';

export const expectTokensInactive: StepActionDef = {
  needsServer: true,
  plan(ctx) {
    return [{ method: 'POST', url: endpoint(ctx, 'introspection_endpoint'), purpose: 'Introspect each token and expect "active": false (RFC 7662)', count: ctx.tokenCount }];
  },
  check: async () => false,
  async execute(ctx) {
    if (ctx.tokens.length === 0) throw new CoreError('INVALID_INPUT', 'Paste the tokens to check.');
    const { row, connection } = await connectRunServer(ctx);
    const answers = await inPool(ctx.tokens, 8, async (token): Promise<Answer> => {
      try {
        return (await introspectToken(connection, token)).active ? 'active' : 'inactive';
      } catch (error) {
        if (isCoreError(error) && error.code === 'SERVER_UNSUPPORTED') return 'unsupported';
        throw error;
      }
    });
    const fingerprintKey = ctx.vault().fingerprintKey;
    const named = (answer: Answer) => ctx.tokens.filter((_token, i) => answers[i] === answer).map((token) => displayFingerprint(fingerprintSecret(fingerprintKey, token)));
    const [active, unsupported] = [named('active'), named('unsupported')];
    const inactive = answers.length - active.length - unsupported.length;
    const details = [`${row.name} reports ${plural(inactive, 'token')} of ${answers.length} inactive.`];
    if (active.length) details.push(`Still active: ${active.slice(0, 20).join(', ')}${active.length > 20 ? ` and ${active.length - 20} more` : ''}.`);
    if (unsupported.length) details.push(`Not introspectable (self-contained JWTs, which end at their expiry): ${unsupported.slice(0, 20).join(', ')}${unsupported.length > 20 ? ` and ${unsupported.length - 20} more` : ''}.`);
    if (active.length === 0 && unsupported.length === 0) return { ok: true, summary: `Every token is inactive at ${row.name} (${plural(inactive, 'token')} introspected).`, details };
    return {
      ok: false,
      summary: active.length ? `${plural(active.length, 'token')} still active at ${row.name}: they still work.` : `${plural(unsupported.length, 'token')} could not be checked at ${row.name}.`,
      details,
    };
  },
};
