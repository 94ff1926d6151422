import type { IpcRenderer } from 'electron';
import { buildBridge, type BridgeSurface } from '../shared/bridge';
import { channelNames, eventNames } from '../shared/contract';

/** window.credops as the preload exposes it: one named method per contract channel and event. */
export function createPreloadApi(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): BridgeSurface {
  return buildBridge(
    channelNames,
    eventNames,
    (channel, input) => ipc.invoke(channel, input),
    (event, listener) => {
      const forward = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(event, forward);
      return () => ipc.removeListener(event, forward);
    },
  );
}
