/**
 * vault.unlock, vault.insert and vault.scan. Insert and scan write and read 100,000 records of
 * about 500 bytes through the vault (encrypted, WAL, synchronous=FULL, 1,000 rows a transaction)
 * against the same SQLite build with no key and the same pragmas, in the same run.
 * With --explore, also prints each authenticated cipher × page size, so the choice can be revisited.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../../electron/core/core';
import { AUTHENTICATED_CIPHERS, openEncryptedDatabase, VAULT_CACHE_KIB, VAULT_CIPHER, type Db } from '../../electron/core/vault/database';
import { readKeyFile } from '../../electron/core/vault/keyfile';
import { createTestPlatform, STRONG_PASSPHRASE } from '../support/test-platform';
import { median, report, time, type Bench } from './report';

const ROWS = 100_000;
const BATCH = 1_000;
const rows = Array.from({ length: ROWS }, (_, i) => ({ id: `cred-${String(i).padStart(6, '0')}`, body: randomBytes(360).toString('base64') }));
const BASELINE = 'better-sqlite3, same build, no encryption, same pragmas';

function createTable(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS bench (id TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT');
}

function insertAll(db: Db, inTransaction: (fn: () => void) => void): void {
  const insert = db.prepare('INSERT INTO bench (id, body) VALUES (?, ?)');
  for (let start = 0; start < ROWS; start += BATCH) {
    inTransaction(() => {
      for (let i = start; i < start + BATCH; i++) insert.run(rows[i].id, rows[i].body);
    });
  }
}

function scanAll(db: Db): number {
  let bytes = 0;
  for (const row of db.prepare('SELECT id, body FROM bench ORDER BY id').iterate() as IterableIterator<{ id: string; body: string }>) bytes += row.body.length;
  if (bytes !== ROWS * rows[0].body.length) throw new Error('scan read the wrong rows');
  return bytes;
}

function plainDatabase(dir: string, pageSize?: number): Db {
  const db = new Database(join(dir, `plain-${randomBytes(4).toString('hex')}.db`));
  db.pragma('locking_mode=EXCLUSIVE');
  if (pageSize) db.pragma(`page_size=${pageSize}`);
  db.pragma('journal_mode=WAL');
  db.pragma('synchronous=FULL');
  db.pragma(`cache_size=-${VAULT_CACHE_KIB}`);
  createTable(db);
  return db;
}

async function measurePlain(dir: string, pageSize?: number): Promise<{ insert: number; scan: number }> {
  const db = plainDatabase(dir, pageSize);
  const insert = await time(() => insertAll(db, (fn) => db.transaction(fn)()));
  const scan = await time(() => scanAll(db));
  db.close();
  return { insert, scan };
}

async function benchUnlock(): Promise<void> {
  const platform = createTestPlatform();
  const core = createCore({ platform, calibrateKdf: true });
  try {
    const path = join(platform.userDataDir, 'credops.vault');
    await core.vault.create(path, STRONG_PASSPHRASE);
    const kdf = readKeyFile(`${path}.key`).kdf;
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      core.vault.lock('user');
      samples.push(await time(() => core.vault.unlock(STRONG_PASSPHRASE)));
    }
    report({
      bench: 'vault.unlock',
      value: median(samples),
      unit: `ms (argon2id m=${kdf.memoryKiB} KiB, t=${kdf.passes}, p=${kdf.lanes}; median of 3)`,
      baseline: null,
      baselineValue: null,
      ratio: null,
      kdf: { memoryKiB: kdf.memoryKiB, passes: kdf.passes, lanes: kdf.lanes },
    });
  } finally {
    core.dispose();
    platform.cleanup();
  }
}

/** Best of three alternating rounds each, so neither side is always the one measured cold. */
async function benchInsertAndScan(): Promise<void> {
  const platform = createTestPlatform();
  const core = createCore({ platform, calibrateKdf: false });
  try {
    await core.vault.create(join(platform.userDataDir, 'credops.vault'), STRONG_PASSPHRASE);
    const vault = core.vault.require();
    const ours = { insert: Infinity, scan: Infinity };
    const plain = { insert: Infinity, scan: Infinity };
    for (let round = 0; round < 3; round++) {
      const base = await measurePlain(platform.userDataDir);
      plain.insert = Math.min(plain.insert, base.insert);
      plain.scan = Math.min(plain.scan, base.scan);
      vault.write((tx) => {
        tx.db.exec('DROP TABLE IF EXISTS bench');
        createTable(tx.db);
      });
      ours.insert = Math.min(ours.insert, await time(() => insertAll(vault.db, (fn) => vault.write(() => fn()))));
      ours.scan = Math.min(ours.scan, await time(() => scanAll(vault.db)));
    }
    const unit = `ms for ${ROWS.toLocaleString('en')} records of ~500 bytes (${VAULT_CIPHER}; best of 3 alternating rounds)`;
    report({ bench: 'vault.insert', value: ours.insert, unit, baseline: BASELINE, baselineValue: plain.insert, ratio: ours.insert / plain.insert });
    report({ bench: 'vault.scan', value: ours.scan, unit, baseline: BASELINE, baselineValue: plain.scan, ratio: ours.scan / plain.scan });
  } finally {
    core.dispose();
    platform.cleanup();
  }
}

async function exploreCiphers(): Promise<void> {
  const platform = createTestPlatform();
  try {
    for (const pageSize of [4096, 8192, 16384]) {
      const plain = await measurePlain(platform.userDataDir, pageSize);
      for (const cipher of AUTHENTICATED_CIPHERS) {
        const file = join(platform.userDataDir, `${cipher}-${pageSize}.vault`);
        const db = openEncryptedDatabase(file, randomBytes(32), { create: true, cipher, tuning: { pageSize } });
        createTable(db);
        const insert = await time(() => insertAll(db, (fn) => db.transaction(fn)()));
        const scan = await time(() => scanAll(db));
        db.close();
        rmSync(file, { force: true });
        const unit = `ms (${cipher}, page ${pageSize})`;
        report({ bench: `vault.explore.insert.${cipher}.${pageSize}`, value: insert, unit, baseline: `${BASELINE}, page ${pageSize}`, baselineValue: plain.insert, ratio: insert / plain.insert });
        report({ bench: `vault.explore.scan.${cipher}.${pageSize}`, value: scan, unit, baseline: `${BASELINE}, page ${pageSize}`, baselineValue: plain.scan, ratio: scan / plain.scan });
      }
    }
  } finally {
    platform.cleanup();
  }
}

export const vaultBenches: Bench[] = [
  { figures: ['vault.unlock'], run: benchUnlock },
  { figures: ['vault.insert', 'vault.scan'], run: benchInsertAndScan },
  { figures: ['vault.explore'], run: exploreCiphers, exploration: true },
];
