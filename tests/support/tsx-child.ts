/**
 * A second CredOps process in tests (crash and concurrency tests): TypeScript through tsx, `?raw`
 * imports through raw-register.mjs (as Vite bundles them for the app), and its output read line by
 * line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const TSX_CHILD_ARGS = ['--import', 'tsx', '--import', resolve(import.meta.dirname, 'raw-register.mjs')];

export interface Child {
  process: ChildProcess;
  lines: AsyncIterableIterator<string>;
}

export function spawnChild(script: string, args: string[]): Child {
  const child = spawn(process.execPath, [...TSX_CHILD_ARGS, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return { process: child, lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator]() };
}

/** The first line matching `pattern`; a line starting with `error` (the child's failure) throws. */
export async function lineMatching(lines: AsyncIterableIterator<string>, pattern: RegExp): Promise<RegExpMatchArray> {
  for (;;) {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the child ended before printing ${pattern}`);
    const match = pattern.exec(value);
    if (match) return match;
    if (value.startsWith('error')) throw new Error(value);
  }
}

/**
 * When the child has exited. A child that prints its last line still closes its vault after it:
 * a test that removed the folder before then raced those writes (ENOTEMPTY in CI).
 */
export function exited(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.process.once('exit', () => done()));
}
