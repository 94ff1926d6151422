import { AutoLockSettings } from './AutoLockSettings';
import { BackupSettings } from './BackupSettings';
import { ChangePassphrase } from './ChangePassphrase';
import { KeychainSettings } from './KeychainSettings';

export function SettingsScreen() {
  return (
    <section aria-labelledby="settings-title" className="screen">
      <header className="screen-header">
        <h2 id="settings-title">Settings</h2>
      </header>
      <div className="settings-grid">
        <AutoLockSettings />
        <BackupSettings />
        <ChangePassphrase />
        <KeychainSettings />
      </div>
    </section>
  );
}
