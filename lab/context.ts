import type Provider from 'oidc-provider';
import type { ClientRegistry } from './clients.js';
import type { Realm } from './realm.js';
import type { SessionActivity } from './sessions.js';
import type { LabStore } from './store.js';

// What the lab's parts share. `provider` is a getter because the Provider instance is replaced
// when the signing keys change; always read it at the moment of use, never keep it.
export interface LabContext {
  readonly provider: Provider;
  readonly store: LabStore;
  readonly realm: Realm;
  readonly clients: ClientRegistry;
  readonly activity: SessionActivity;
}
