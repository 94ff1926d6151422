/**
 * Builds window.credops: one named method per channel ("vault:unlock" → credops.vault.unlock) and one
 * named subscriber per event ("vault:stateChanged" → credops.vault.onStateChanged). The preload and
 * the e2e harness both call this, so the surface the renderer sees is the same in both.
 *
 * It must stay self-contained (no imports, no outer references): the e2e harness serialises it into
 * the page as an init script.
 */
export type Invoke = (channel: string, input: unknown) => Promise<unknown>;
export type Subscribe = (event: string, listener: (payload: unknown) => void) => () => void;
export type BridgeSurface = Record<string, Record<string, (arg?: unknown) => unknown>>;

export function buildBridge(channels: readonly string[], events: readonly string[], invoke: Invoke, subscribe: Subscribe): BridgeSurface {
  const surface: BridgeSurface = {};
  const domainOf = (name: string): Record<string, (arg?: unknown) => unknown> => {
    const [domain] = name.split(':');
    surface[domain] ??= {};
    return surface[domain];
  };
  for (const channel of channels) {
    const action = channel.split(':')[1];
    domainOf(channel)[action] = (input?: unknown) => invoke(channel, input === undefined ? {} : input);
  }
  for (const event of events) {
    const name = event.split(':')[1];
    const method = 'on' + name.charAt(0).toUpperCase() + name.slice(1);
    domainOf(event)[method] = (listener?: unknown) => {
      if (typeof listener !== 'function') throw new TypeError(`${event}: listener must be a function`);
      return subscribe(event, listener as (payload: unknown) => void);
    };
  }
  for (const domain of Object.values(surface)) Object.freeze(domain);
  return Object.freeze(surface);
}
