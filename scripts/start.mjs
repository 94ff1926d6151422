// npm start: build, make sure better-sqlite3 has a binary for Electron's ABI (Node's tests keep
// theirs untouched), then launch Electron. Electron's own binary downloads on first launch.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const nativeDir = join(root, '.electron-native');
const binding = join(nativeDir, `better_sqlite3-electron-${electronVersion}.node`);

function run(command, args, cwd = root) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`credops: "${command} ${args.join(' ')}" failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(binding)) {
  console.log(`credops: building better-sqlite3-multiple-ciphers for Electron ${electronVersion} (once)…`);
  const source = join(nativeDir, 'build-src');
  rmSync(source, { recursive: true, force: true });
  mkdirSync(nativeDir, { recursive: true });
  cpSync(dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json')), source, {
    recursive: true,
    filter: (path) => !path.includes(`${join('build', '')}`) && !path.includes('node_modules'),
  });
  const gyp = require.resolve('node-gyp/bin/node-gyp.js');
  run(process.execPath, [gyp, 'rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers'], source);
  cpSync(join(source, 'build', 'Release', 'better_sqlite3.node'), binding);
  rmSync(source, { recursive: true, force: true });
}

run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
const electron = require('electron');
run(typeof electron === 'string' ? electron : String(electron), [root]);
