import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes a file so that a crash leaves either the old content or the new, never half of either.
 * With `exclusive`, an existing file is never replaced: the write fails with EEXIST instead.
 */
export function writeFileAtomic(path: string, data: string | Buffer, options: { exclusive?: boolean } = {}): void {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  if (options.exclusive) publishExclusive(temp, path);
  else renameSync(temp, path);
  fsyncDirectory(dirname(path));
}

/** Moves a finished file into place only if nothing is there yet (link fails with EEXIST). */
export function publishExclusive(temp: string, path: string): void {
  try {
    linkSync(temp, path);
  } finally {
    unlinkSync(temp);
  }
}

/** Makes a rename durable; a no-op where directories cannot be opened (Windows). */
export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows refuses to open directories; its renames are durable without this.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
