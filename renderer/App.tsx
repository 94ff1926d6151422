import { useEffect, useState } from 'react';
import { AuditScreen } from './features/audit/AuditScreen';
import { InspectorScreen } from './features/inspector/InspectorScreen';
import { InventoryScreen } from './features/inventory/InventoryScreen';
import { useInventory } from './features/inventory/store';
import { LeaksScreen } from './features/leaks/LeaksScreen';
import { useLeaks } from './features/leaks/store';
import { PlaybooksScreen } from './features/playbooks/PlaybooksScreen';
import { usePlaybooks } from './features/playbooks/store';
import { ServersScreen } from './features/servers/ServersScreen';
import { useServers } from './features/servers/store';
import { SettingsScreen } from './features/settings/SettingsScreen';
import { FirstRunScreen } from './features/vault/FirstRunScreen';
import { followVaultEvents, useVault } from './features/vault/store';
import { UnlockScreen } from './features/vault/UnlockScreen';
import { messageOf } from './api';
import { ErrorNote } from './ui/ErrorNote';
import { Shell, type NavItem } from './ui/Shell';

const NAV: NavItem[] = [
  { id: 'inventory', label: 'Inventory' },
  { id: 'inspector', label: 'Inspector' },
  { id: 'servers', label: 'Servers' },
  { id: 'playbooks', label: 'Playbooks' },
  { id: 'leaks', label: 'Leak triage' },
  { id: 'audit', label: 'Audit' },
  { id: 'settings', label: 'Settings' },
];

export function App() {
  const status = useVault((s) => s.status);
  const lock = useVault((s) => s.lock);
  const [screen, setScreen] = useState('inventory');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    useVault.getState().refresh().catch((e: unknown) => setError(messageOf(e)));
    return followVaultEvents();
  }, []);

  const vaultState = status?.state;
  useEffect(() => {
    if (vaultState !== 'unlocked') {
      useInventory.getState().reset();
      useServers.getState().reset();
      usePlaybooks.getState().reset();
      useLeaks.getState().reset();
    }
  }, [vaultState]);

  // Another screen asked to start a playbook (the inventory's "Start playbook…"): go where it opens.
  useEffect(
    () =>
      usePlaybooks.subscribe((state, before) => {
        if (state.startRequest && state.startRequest !== before.startRequest) setScreen('playbooks');
      }),
    [],
  );

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'l' && useVault.getState().status?.state === 'unlocked') {
        event.preventDefault();
        void lock();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [lock]);

  if (error) {
    return (
      <main className="gate" data-app-state="failed">
        <div className="gate-card">
          <h1>CredOps cannot open</h1>
          <ErrorNote message={error} />
          <p className="hint">Nothing was changed. Fix what the message names, then restart CredOps.</p>
        </div>
      </main>
    );
  }
  if (!status) return <div data-app-state="loading" />;
  return (
    <div data-app-state="loaded" data-vault-state={status.state} className="app">
      {status.state === 'absent' && <FirstRunScreen defaultPath={status.defaultPath} />}
      {status.state === 'locked' && <UnlockScreen status={status} />}
      {status.state === 'unlocked' && (
        <Shell vaultName={status.vaultName ?? 'vault'} nav={NAV} current={screen} onNavigate={setScreen} onLock={() => void lock()}>
          {screen === 'inventory' && <InventoryScreen />}
          {screen === 'inspector' && <InspectorScreen />}
          {screen === 'servers' && <ServersScreen />}
          {screen === 'playbooks' && <PlaybooksScreen />}
          {screen === 'leaks' && (
            <LeaksScreen
              onOpenRun={(runId) => {
                usePlaybooks.getState().openRun(runId);
                setScreen('playbooks');
              }}
            />
          )}
          {screen === 'audit' && <AuditScreen />}
          {screen === 'settings' && <SettingsScreen />}
        </Shell>
      )}
    </div>
  );
}
