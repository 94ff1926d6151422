import { closeSync, ftruncateSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeImportFile, MAX_IMPORT_BYTES, readImportFile } from '../../../electron/core/transfer/read-import-file';
import { makeTempDir } from '../../support/test-platform';

const CSV = 'name,kind,provider,environment,created_at\r\ndeploy,api_key,other,test,2026-01-01T00:00:00Z\r\n';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b1e1d30000000049454e44ae426082', 'hex');
const invalid = (message: RegExp | string) => expect.objectContaining({ code: 'IMPORT_FILE_INVALID', message: typeof message === 'string' ? message : expect.stringMatching(message) });

let dir: string;
beforeEach(() => {
  dir = makeTempDir('credops-import-');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('reading an import file', () => {
  it('tells the format by content, not by name', () => {
    expect(decodeImportFile(Buffer.from(CSV), 'inventory.json').format).toBe('csv');
    expect(decodeImportFile(Buffer.from('  \n[]'), 'inventory.csv').format).toBe('json');
  });

  it('strips a UTF-8 byte order mark', () => {
    const source = decodeImportFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV)]), 'excel.csv');
    expect(source).toMatchObject({ format: 'csv', records: [{ line: 2, fields: { name: 'deploy' } }] });
  });

  it.each([
    ['UTF-16 LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV, 'utf16le')]), 'inventory.csv is UTF-16 text. CredOps imports UTF-8: save it again as "CSV UTF-8" or UTF-8 text.'],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(CSV, 'utf16le').swap16()]), /is UTF-16 text/],
    ['UTF-16 without a BOM', Buffer.from(CSV, 'utf16le'), /holds NUL bytes/],
    ['an image', PNG, 'inventory.csv is not UTF-8 text (it is a binary file or in another encoding). CredOps imports CSV or JSON saved as UTF-8.'],
    ['Latin-1 text', Buffer.from('name,kind\r\nSchl\xfcssel,api_key\r\n', 'latin1'), /is not UTF-8 text/],
    ['nothing at all', Buffer.alloc(0), 'inventory.csv is empty.'],
    ['only a BOM and blank lines', Buffer.from('\uFEFF\r\n  \r\n'), 'inventory.csv is empty.'],
  ])('refuses %s with a clear error', (_what, bytes, message) => {
    expect(() => decodeImportFile(bytes, 'inventory.csv')).toThrow(invalid(message));
  });

  it('refuses a file over the bound without reading it', () => {
    const path = join(dir, 'huge.csv');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 73 * 1024 * 1024);
    closeSync(fd);
    expect(() => readImportFile(path)).toThrow(invalid('huge.csv is 73 MB; the most CredOps imports is 50 MB. Split it into smaller files.'));
  });

  it('refuses a file one byte over the bound', () => {
    const path = join(dir, 'edge.csv');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, MAX_IMPORT_BYTES + 1);
    closeSync(fd);
    expect(() => readImportFile(path)).toThrow(invalid(/edge\.csv is 51 MB; the most CredOps imports is 50 MB/));
  });

  it('refuses a folder and a file that is not there', () => {
    mkdirSync(join(dir, 'folder.csv'));
    expect(() => readImportFile(join(dir, 'folder.csv'))).toThrow(invalid(/folder\.csv is not a file/));
    expect(() => readImportFile(join(dir, 'gone.csv'))).toThrow(invalid(/gone\.csv could not be opened \(ENOENT\)/));
  });

  it('reads a file on disk and names it by its base name', () => {
    writeFileSync(join(dir, 'inventory.csv'), CSV);
    expect(readImportFile(join(dir, 'inventory.csv'))).toMatchObject({ fileName: 'inventory.csv', source: { format: 'csv' } });
  });
});
