/**
 * A second CredOps process for crash and concurrency tests. Usage:
 *   vault-child.ts <userDataDir> <passphrase> unlock   → prints the unlock Result as JSON
 *   vault-child.ts <userDataDir> <passphrase> stream   → commits audited writes forever, printing each n
 */
import { createCore } from '../../electron/core/core';
import { createTestPlatform } from './test-platform';

const [userDataDir, passphrase, mode] = process.argv.slice(2);
const core = createCore({ platform: createTestPlatform(userDataDir), calibrateKdf: false, log: () => undefined });
const unlocked = await core.router.invoke('vault:unlock', { passphrase });

if (mode === 'unlock') {
  process.stdout.write(JSON.stringify(unlocked) + '\n');
  process.exit(0);
}

if (!unlocked.ok) {
  process.stdout.write(`error ${JSON.stringify(unlocked)}\n`);
  process.exit(1);
}
const vault = core.vault.require();
vault.write((tx) => tx.db.exec('CREATE TABLE IF NOT EXISTS stream (n INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT'));
for (let n = 1; ; n++) {
  vault.write((tx) => {
    tx.db.prepare('INSERT INTO stream (n, body) VALUES (?, ?)').run(n, `record ${n} `.padEnd(400, '.'));
    tx.audit({ action: 'test.write', target: `stream/${n}` });
  });
  // Printed only after the commit returned: every number the parent reads is durable.
  process.stdout.write(`${n}\n`);
}
