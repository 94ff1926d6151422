import type { Handlers } from '../router';
import { openCredential } from '../credentials/store';
import type { VaultService } from '../vault/vault-service';
import { dpopBinding } from './dpop-binding';
import { inspectToken, type InspectContext } from './inspect';
import { serverJwksText } from '../servers/jwks-history';
import { deletePolicy, listPolicies, savePolicy } from './policies';

type TokenHandlers = Pick<Handlers, Extract<keyof Handlers, `tokens:${string}`>>;

export function tokenHandlers(vault: VaultService, now: () => Date): TokenHandlers {
  // Inspection needs the vault only for a vault key; opening it for verification is audited, and
  // for the DPoP pairing in Compare as such, so its entry is not taken for a second verdict.
  const context = (purpose: 'verify' | 'verifyPairing' = 'verify'): InspectContext => ({
    nowMs: now().getTime(),
    credentialSecret: (id) => openCredential(vault.require(), id, purpose),
    serverJwks: (id) => serverJwksText(vault.require(), id),
  });
  return {
    'tokens:inspect': (request) => inspectToken(request, context()),
    'tokens:dpopBinding': async ({ proof, proofKey, accessToken, accessTokenKey, proofPick = 0, accessTokenPick = 0 }) => ({
      binding: await dpopBinding(proof, accessToken, context('verifyPairing'), { proof: proofKey, accessToken: accessTokenKey }, { proof: proofPick, accessToken: accessTokenPick }),
    }),
    'tokens:listPolicies': () => listPolicies(vault.require()),
    'tokens:savePolicy': ({ id, name, policy }) => savePolicy(vault.require(), id, name, policy, now()),
    'tokens:deletePolicy': ({ id }) => {
      deletePolicy(vault.require(), id);
      return {};
    },
  };
}
