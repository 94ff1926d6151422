import type { TransferChannel } from '../credentials/handlers';
import type { Platform } from '../platform';
import type { Handlers } from '../router';
import type { VaultService } from '../vault/vault-service';
import { exportInventory } from './export-inventory';
import { commitImport, openImport, previewImport } from './import-inventory';
import type { ImportSessions } from './import-sessions';

export interface TransferServices {
  vault: VaultService;
  platform: Platform;
  imports: ImportSessions;
  now: () => Date;
  calibrateKdf: boolean;
}

export function transferHandlers({ vault, platform, imports, now, calibrateKdf }: TransferServices): Pick<Handlers, TransferChannel> {
  return {
    'credentials:importOpen': () => openImport(vault, platform, imports),
    'credentials:importPreview': ({ importId, passphrase }) => previewImport(vault, imports, importId, passphrase, now()),
    'credentials:importCommit': ({ importId }) => commitImport(vault, imports, importId, now()),
    'credentials:importDiscard': ({ importId }) => {
      imports.drop(importId);
      return {};
    },
    'credentials:export': (request) => exportInventory(vault, platform, request, { now, calibrateKdf }),
  };
}
