/**
 * Builds the core from a platform: the services and the router over them. Electron's main and the
 * e2e harness both call this, so both serve the same handlers.
 */
import type { EventName, EventPayload } from '../../shared/contract';
import type { Platform } from './platform';
import { ClipboardGuard } from './clipboard-guard';
import { credentialHandlers } from './credentials/handlers';
import { createRouter, type Router } from './router';
import { BulkRevocations } from './servers/bulk/service';
import { ServerClients } from './servers/connect';
import { serverHandlers } from './servers/handlers';
import { tokenHandlers } from './tokens/handlers';
import { forgetKeys } from './tokens/verify-signature';
import { leakHandlers, offlineJwtInspector } from './leaks/handlers';
import { LeakScans } from './leaks/leak-scans';
import { PlaybookEngine } from './playbooks/engine';
import { playbookHandlers } from './playbooks/handlers';
import { transferHandlers } from './transfer/handlers';
import { ImportSessions } from './transfer/import-sessions';
import { vaultHandlers } from './vault/handlers';
import { VaultService } from './vault/vault-service';

export interface CoreOptions {
  platform: Platform;
  calibrateKdf?: boolean;
  nativeBinding?: string;
  now?: () => Date;
  log?: (message: string) => void;
  /** Requests in flight per bulk revocation job. */
  bulkConcurrency?: number;
}

export type CoreEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface Core {
  router: Router;
  vault: VaultService;
  bulk: BulkRevocations;
  onEvent(listener: CoreEventListener): () => void;
  dispose(): void;
}

export function createCore(options: CoreOptions): Core {
  const listeners = new Set<CoreEventListener>();
  const now = options.now ?? (() => new Date());
  const clipboard = new ClipboardGuard(options.platform.clipboard);
  const imports = new ImportSessions();
  const serverClients = new ServerClients();
  let bulk: BulkRevocations | null = null;
  let scans: LeakScans | null = null;
  // Nothing of the vault outlives a lock: a secret still on the clipboard goes with it, and so do
  // files opened for import and keys pasted into the inspector.
  listeners.add((event, payload) => {
    if (event !== 'vault:stateChanged') return;
    const { state } = payload as { state: string };
    // Bulk revocations carry on from their journal whenever the vault opens, and stop when it locks.
    if (state === 'unlocked') void bulk?.resumeAll().catch((error: unknown) => log(`bulk revocation resume failed: ${String(error)}`));
    if (state !== 'locked') return;
    void bulk?.haltAll();
    void serverClients.closeAll();
    void clipboard.clearIfUnchanged().catch(() => undefined);
    imports.clear();
    scans?.clear();
    forgetKeys();
  });
  const log = options.log ?? ((message: string) => console.error(message));
  const vault = new VaultService({
    platform: options.platform,
    calibrateKdf: options.calibrateKdf,
    nativeBinding: options.nativeBinding,
    now,
    log,
    emit: (payload) => {
      for (const listener of listeners) listener('vault:stateChanged', payload);
    },
  });
  bulk = new BulkRevocations({ vault: () => vault.require(), clients: serverClients, now, concurrency: options.bulkConcurrency });
  scans = new LeakScans({ vault: () => vault.require(), now, inspectJwt: offlineJwtInspector(now) });
  // One engine for the Playbooks screen and for runs started from a leak.
  const engine = new PlaybookEngine({ vault: () => vault.require(), now, clients: serverClients, bulk });
  const router = createRouter(
    {
      ...vaultHandlers(vault, options.platform),
      ...credentialHandlers(vault, clipboard, now),
      ...tokenHandlers(vault, now),
      ...serverHandlers({ vault, clients: serverClients, bulk, now }),
      ...transferHandlers({ vault, platform: options.platform, imports, now, calibrateKdf: options.calibrateKdf ?? true }),
      ...playbookHandlers({ vault, platform: options.platform, clients: serverClients, bulk, now, engine }),
      ...leakHandlers({ vault, platform: options.platform, engine, scans, now }),
    },
    { log: options.log },
  );
  return {
    router,
    vault,
    bulk,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose: () => {
      void bulk?.haltAll();
      void serverClients.closeAll();
      imports.clear();
      scans?.clear();
      vault.dispose('quit');
    },
  };
}
