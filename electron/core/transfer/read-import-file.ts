/**
 * Reads a file chosen for import, in main: bounded in size before anything is read, UTF-8 text only,
 * and told apart by its content (an encrypted export's envelope, a JSON inventory, else CSV), never
 * by its name.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { CoreError } from '../errors';
import { readInventoryCsv } from './csv-format';
import { isEncryptedExport, readEnvelope, type EncryptedExport } from './encrypted-export';
import type { ImportRecord } from './import-record';
import { parseJsonText, readInventoryJson } from './json-format';

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
const MB = 1024 * 1024;

/** A decoded import file: rows to check now, or an envelope to open with the passphrase first. */
export type ImportSource = { format: 'csv' | 'json'; records: ImportRecord[] } | { format: 'encrypted'; envelope: EncryptedExport };

const invalid = (message: string) => new CoreError('IMPORT_FILE_INVALID', message);

/** The whole file, refused when it is not a regular file or bigger than the bound, unread. */
function readBounded(path: string, fileName: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw invalid(`${fileName} could not be opened (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check that it exists and that you may read it.`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw invalid(`${fileName} is not a file. Choose a CSV, JSON or encrypted CredOps export.`);
    const tooBig = (size: number) => invalid(`${fileName} is ${Math.ceil(size / MB)} MB; the most CredOps imports is ${MAX_IMPORT_BYTES / MB} MB. Split it into smaller files.`);
    if (stat.size > MAX_IMPORT_BYTES) throw tooBig(stat.size);
    // One byte more than the bound, so a file that grew since fstat is caught, not cut short.
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_IMPORT_BYTES) + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > MAX_IMPORT_BYTES) throw tooBig(length);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** The file's bytes without a UTF-8 BOM, and their text; anything else is refused in words. */
function utf8Text(data: Buffer, fileName: string): { bytes: Buffer; text: string } {
  if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) {
    throw invalid(`${fileName} is UTF-16 text. CredOps imports UTF-8: save it again as "CSV UTF-8" or UTF-8 text.`);
  }
  const bytes = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw invalid(`${fileName} is not UTF-8 text (it is a binary file or in another encoding). CredOps imports CSV or JSON saved as UTF-8.`);
  }
  if (text.includes('\0')) {
    throw invalid(`${fileName} is not UTF-8 text: it holds NUL bytes, as binary files and UTF-16 text do. CredOps imports CSV or JSON saved as UTF-8.`);
  }
  if (text.trim() === '') throw invalid(`${fileName} is empty.`);
  return { bytes, text };
}

/** What the bytes of an import file hold, decided by their content. */
export function decodeImportFile(data: Buffer, fileName: string): ImportSource {
  const { bytes, text } = utf8Text(data, fileName);
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return { format: 'csv', records: readInventoryCsv(bytes) };
  const value = parseJsonText(text);
  if (isEncryptedExport(value)) return { format: 'encrypted', envelope: readEnvelope(value) };
  return { format: 'json', records: readInventoryJson(value) };
}

export function readImportFile(path: string): { fileName: string; source: ImportSource } {
  const fileName = basename(path);
  return { fileName, source: decodeImportFile(readBounded(path, fileName), fileName) };
}
