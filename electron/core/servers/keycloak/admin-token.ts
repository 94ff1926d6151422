/**
 * The bearer token the Keycloak adapter shows the Admin REST API: the admin client's own token
 * from the client credentials grant, authenticated as the connection is configured (secret or
 * private_key_jwt). It is reused until shortly before it expires, concurrent callers share one
 * token request, and a token the server refused is dropped so the next call fetches a fresh one.
 */
import { CoreError } from '../../errors';
import type { ServerConnection } from '../connection';
import { quoteServerText } from '../http';
import { requestClientCredentials } from '../token-endpoint';

/** When the server gives no expires_in: short, because a refused token is replaced anyway. */
const DEFAULT_LIFETIME_MS = 60_000;
/** Refresh this long before expiry: a tenth of the lifetime, at most 30 s. */
const MAX_MARGIN_MS = 30_000;

interface Held {
  token: string;
  /** epoch ms after which the token is not used any more */
  useUntil: number;
}

export class AdminTokenSource {
  #held: Held | null = null;
  #pending: Promise<Held> | null = null;
  /** Bumped by forget(): a token requested before it is handed to its caller but not kept. */
  #generation = 0;
  readonly #connection: ServerConnection;
  readonly #now: () => number;

  constructor(connection: ServerConnection, options: { now?: () => number } = {}) {
    this.#connection = connection;
    this.#now = options.now ?? Date.now;
  }

  /** A token that should still be accepted, fetching one if none is held or it is about to expire. */
  async token(): Promise<string> {
    const held = this.#held;
    if (held && this.#now() < held.useUntil) return held.token;
    if (!this.#pending) {
      const pending = this.#fetch().finally(() => {
        if (this.#pending === pending) this.#pending = null;
      });
      this.#pending = pending;
    }
    return (await this.#pending).token;
  }

  /** The server refused this token: forget it (unless a newer one already replaced it). */
  refused(token: string): void {
    if (this.#held?.token === token) this.#held = null;
  }

  /** Forgets the held token, such as after a realm not-before push that may have ended it. */
  forget(): void {
    this.#held = null;
    this.#pending = null;
    this.#generation += 1;
  }

  async #fetch(): Promise<Held> {
    const generation = this.#generation;
    const obtainedAt = this.#now();
    const answer = await requestClientCredentials(this.#connection);
    if (answer.token_type.toLowerCase() !== 'bearer') {
      throw new CoreError('SERVER_UNSUPPORTED', `The token endpoint gave the admin client a token of type "${quoteServerText(answer.token_type, 40)}", but Keycloak's admin API takes a Bearer token. Check the admin client's settings (for example, DPoP binding).`);
    }
    const lifetimeMs = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in * 1000 : DEFAULT_LIFETIME_MS;
    const margin = Math.min(MAX_MARGIN_MS, lifetimeMs / 10);
    const held = { token: answer.access_token, useUntil: obtainedAt + lifetimeMs - margin };
    if (generation === this.#generation) this.#held = held;
    return held;
  }
}
