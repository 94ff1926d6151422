import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

// The lab's storage for everything oidc-provider persists (sessions, grants, tokens, clients,
// replay markers). oidc-provider's own memory adapter is an LRU capped at 1,000 entries, so a
// bulk-revocation test with 5,000 live tokens would see some of them silently evicted; this is a
// plain Map that only forgets what has expired or been destroyed.
//
// It outlives any one Provider instance: the lab builds a new Provider when the signing keys
// change (oidc-provider reads its keystore once, at construction), and sessions, grants, tokens
// and clients carry over because they live here.

interface Entry {
  payload: AdapterPayload;
  /** epoch ms after which the entry no longer exists; Infinity when oidc-provider gave no TTL */
  expiresAt: number;
}

/** Decides, at read time, that a stored record no longer counts (the realm's not-before). */
export type StalePredicate = (model: string, payload: AdapterPayload) => boolean;

// Models whose payload carries a grantId that revokeByGrantId must find.
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

export class LabStore {
  readonly #entries = new Map<string, Entry>();
  /** grantId → keys of the token entries issued under it */
  readonly #byGrant = new Map<string, Set<string>>();
  /** Session uid → Session id (the id changes when oidc-provider rotates a session; the uid does not) */
  readonly #sessionByUid = new Map<string, string>();
  readonly #byUserCode = new Map<string, string>();
  readonly #isStale: StalePredicate;
  readonly #sweeper: NodeJS.Timeout;

  constructor(isStale: StalePredicate = () => false) {
    this.#isStale = isStale;
    // Reads already ignore expired entries; the sweep only gives the memory back. unref() so a
    // forgotten store never keeps a test process alive.
    this.#sweeper = setInterval(() => this.sweep(), 60_000);
    this.#sweeper.unref();
  }

  /** The factory handed to oidc-provider's `adapter` setting: one adapter per model name. */
  readonly adapterFactory: AdapterFactory = (model) => new ModelAdapter(model, this);

  /** A live record, or undefined when missing, expired or stale. */
  get(model: string, id: string): AdapterPayload | undefined {
    const key = keyOf(model, id);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#remove(key, entry);
      return undefined;
    }
    if (this.#isStale(model, entry.payload)) return undefined;
    return entry.payload;
  }

  /** Every live record of a model, for the admin endpoints that list sessions and grants. */
  *list(model: string): Generator<[string, AdapterPayload]> {
    const prefix = `${model}:`;
    for (const key of [...this.#entries.keys()]) {
      if (!key.startsWith(prefix)) continue;
      const id = key.slice(prefix.length);
      const payload = this.get(model, id);
      if (payload) yield [id, payload];
    }
  }

  set(model: string, id: string, payload: AdapterPayload, expiresInSeconds?: number): void {
    const key = keyOf(model, id);
    const previous = this.#entries.get(key);
    if (previous) this.#remove(key, previous);
    const expiresAt = typeof expiresInSeconds === 'number' ? Date.now() + expiresInSeconds * 1000 : Infinity;
    this.#entries.set(key, { payload, expiresAt });
    if (model === 'Session' && typeof payload.uid === 'string') this.#sessionByUid.set(payload.uid, id);
    if (typeof payload.userCode === 'string') this.#byUserCode.set(payload.userCode, id);
    if (GRANTABLE.has(model) && typeof payload.grantId === 'string') {
      let members = this.#byGrant.get(payload.grantId);
      if (!members) this.#byGrant.set(payload.grantId, (members = new Set()));
      members.add(key);
    }
  }

  delete(model: string, id: string): void {
    const key = keyOf(model, id);
    const entry = this.#entries.get(key);
    if (entry) this.#remove(key, entry);
  }

  sessionIdForUid(uid: string): string | undefined {
    return this.#sessionByUid.get(uid);
  }

  idForUserCode(userCode: string): string | undefined {
    return this.#byUserCode.get(userCode);
  }

  /**
   * Drops the records of one model issued under a grant. Per model, as the adapter interface
   * documents it ("all the model instances of this model type"): oidc-provider itself chooses
   * which models to revoke (e.g. revoking an access token revokes the grant's refresh tokens only
   * when the calling client may use the refresh_token grant), and a shared purge would hide that.
   */
  revokeByGrant(model: string, grantId: string): void {
    const members = this.#byGrant.get(grantId);
    if (!members) return;
    const prefix = `${model}:`;
    for (const key of [...members]) {
      if (!key.startsWith(prefix)) continue;
      const entry = this.#entries.get(key);
      if (entry) this.#remove(key, entry);
      else members.delete(key);
    }
  }

  /** Number of live records, all models together (for the bulk-token figures). */
  get size(): number {
    return this.#entries.size;
  }

  sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#remove(key, entry);
    }
  }

  close(): void {
    clearInterval(this.#sweeper);
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key);
    const { payload } = entry;
    const id = key.slice(key.indexOf(':') + 1);
    if (typeof payload.uid === 'string' && this.#sessionByUid.get(payload.uid) === id) {
      this.#sessionByUid.delete(payload.uid);
    }
    if (typeof payload.userCode === 'string' && this.#byUserCode.get(payload.userCode) === id) {
      this.#byUserCode.delete(payload.userCode);
    }
    if (typeof payload.grantId === 'string') {
      const members = this.#byGrant.get(payload.grantId);
      members?.delete(key);
      if (members?.size === 0) this.#byGrant.delete(payload.grantId);
    }
  }
}

function keyOf(model: string, id: string): string {
  return `${model}:${id}`;
}

/** The adapter interface oidc-provider calls, for one model, over the shared store. */
class ModelAdapter implements Adapter {
  readonly #model: string;
  readonly #store: LabStore;

  constructor(model: string, store: LabStore) {
    this.#model = model;
    this.#store = store;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.#store.set(this.#model, id, payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.#store.get(this.#model, id);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = this.#store.sessionIdForUid(uid);
    return id === undefined ? undefined : this.#store.get(this.#model, id);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = this.#store.idForUserCode(userCode);
    return id === undefined ? undefined : this.#store.get(this.#model, id);
  }

  async consume(id: string): Promise<void> {
    const payload = this.#store.get(this.#model, id);
    // Seconds, like oidc-provider's own adapters: a truthy `consumed` marks a used refresh token.
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.#store.delete(this.#model, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.#store.revokeByGrant(this.#model, grantId);
  }
}
