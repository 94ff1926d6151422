/**
 * expectKidPresent / expectKidAbsent: fetch the run's server's JWKS again (recorded in the key
 * history like Refresh on the Servers screen) and look for the kid: the new key must be visible
 * before signing switches to it, the old one gone once it is retired. A read, so running it again
 * is its check.
 */
import { CoreError } from '../../errors';
import { jwksView, latestJwks } from '../../servers/jwks-history';
import { refreshJwks } from '../../servers/operations';
import { findServer } from '../../servers/store';
import { serverIdOf } from './server';
import { endpoint, plural, type StepActionDef } from './types';

function expectKid(present: boolean): StepActionDef {
  return {
    needsServer: true,
    plan(ctx) {
      return [{ method: 'GET', url: endpoint(ctx, 'jwks_uri'), purpose: `Fetch the JWKS and expect kid ${ctx.kid ?? '(entered at the step)'} ${present ? 'published' : 'gone'}`, count: 1 }];
    },
    check: async () => false,
    async execute(ctx) {
      if (!ctx.kid) throw new CoreError('INVALID_INPUT', 'Enter the kid to look for.');
      const serverId = serverIdOf(ctx);
      await refreshJwks({ vault: ctx.vault, clients: ctx.clients, now: ctx.now }, serverId);
      const name = findServer(ctx.vault(), serverId).name;
      const keys = latestJwks(ctx.vault(), serverId)?.keys ?? [];
      const kids = keys.map((key) => key.kid ?? `(no kid, thumbprint ${key.thumbprint.slice(0, 12)}…)`);
      const found = keys.some((key) => key.kid === ctx.kid);
      const details = [`${name} publishes ${plural(keys.length, 'key')}: ${kids.join(', ') || 'none'}.`];
      // "Gone" proves something only about a kid this server once published: a mistyped kid is
      // absent too. The key history answers that.
      if (!present && !found && !jwksView(ctx.vault(), serverId).history.some((change) => change.appeared.includes(ctx.kid!))) {
        return { ok: false, summary: `Kid ${ctx.kid} was never seen in the JWKS of ${name}: check the kid (a typo is absent too).`, details };
      }
      if (found === present) {
        return { ok: true, summary: present ? `Kid ${ctx.kid} is published in the JWKS of ${name}.` : `Kid ${ctx.kid} is no longer in the JWKS of ${name}.`, details };
      }
      return {
        ok: false,
        summary: present
          ? `Kid ${ctx.kid} is not in the JWKS of ${name} yet: do not switch signing to it until it is visible (caches may hold the old set).`
          : `Kid ${ctx.kid} is still published by ${name}: tokens signed with it are still accepted.`,
        details,
      };
    },
  };
}

export const expectKidPresent = expectKid(true);
export const expectKidAbsent = expectKid(false);
