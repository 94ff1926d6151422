/**
 * Leak scans in main: each reads its text as a stream (a paste in slices, a file from disk, a
 * gzip file through gunzip, UTF-16 transcoded), finds and classifies secrets, and when the text
 * ends matches them against the inventory and inspects the JWTs among them. The text is never
 * kept: a scan holds the secrets it found only until it ends, then only their masks and
 * fingerprints. The audit log records counts and fingerprints. A lock ends every scan.
 */
import { randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import type { LeakFinding, ScanStatus } from '../../../shared/leaks';
import { MAX_FINDINGS, MAX_PLACES } from '../../../shared/leaks';
import { severityRank } from '../../../shared/tokens';
import { CoreError } from '../errors';
import type { OpenVault } from '../vault/open-vault';
import { detectSecret } from '../secrets/detect-secret';
import { describeFinding, type FoundSecret, type InspectJwt } from './describe-finding';
import { findCredentials, matchKeys } from './match-inventory';
import { SecretScanner } from '../secrets/scanner';

/** Slices a paste is scanned in, and a file read in: small enough that main answers between them. */
const SLICE_BYTES = 1024 * 1024;
/** Ended scans kept for their findings; the oldest goes first. */
const KEPT_SCANS = 8;
/** JWTs inspected per scan; the rest are listed without the inspector's reading. */
const MAX_INSPECTED_JWTS = 200;
/** Fingerprints named in the audit entry of one scan. */
const MAX_AUDITED_FINGERPRINTS = 200;

/** A secret found while the scan runs, before it has a finding id. */
type Found = Omit<FoundSecret, 'id'>;

interface Scan {
  status: ScanStatus;
  vault: OpenVault;
  abort: AbortController;
  /** Keyed by the secret while the scan runs; emptied when it ends. */
  found: Map<string, Found>;
  findings: LeakFinding[];
  done: Promise<void>;
}

export interface LeakScanDeps {
  vault(): OpenVault;
  now(): Date;
  inspectJwt: InspectJwt;
}

export class LeakScans {
  private readonly scans = new Map<string, Scan>();

  constructor(private readonly deps: LeakScanDeps) {}

  /** Scans pasted text; answers at once with the scan running (or already done, for a short paste). */
  async scanText(text: string, label: string): Promise<ScanStatus> {
    const bytes = Buffer.from(text, 'utf8');
    let sent = 0;
    const slices = async function* () {
      for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
        const slice = bytes.subarray(at, at + SLICE_BYTES);
        sent = at + slice.length;
        yield slice;
        await nextTurn();
      }
    };
    const scan = this.begin({ kind: 'paste', label }, bytes.length, slices(), () => sent);
    // The copy made for the scan is wiped when it ends (the renderer's string cannot be: V8 strings are immutable).
    void scan.done.finally(() => bytes.fill(0));
    // A paste of a few lines is done before the first poll would be: answer with its outcome.
    if (bytes.length <= SLICE_BYTES) await scan.done;
    return { ...scan.status };
  }

  /** Scans a file, streamed; refused unless it is a regular file. */
  async scanFile(path: string, label: string): Promise<ScanStatus> {
    const name = basename(path);
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      throw new CoreError('LEAK_FILE_UNREADABLE', `${name} could not be opened (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check that it exists and that you may read it.`);
    }
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      throw new CoreError('LEAK_FILE_UNREADABLE', `${name} is not a file. Choose a log or text file.`);
    }
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    // The file checked is the file read: everything reads through the same handle. Progress counts
    // the file's own bytes, whether they are inflated or transcoded before the scan.
    const compressed = head[0] === 0x1f && head[1] === 0x8b;
    const utf16 = utf16Of(head);
    let read = 0;
    if (compressed || utf16) {
      const stream = handle.createReadStream({ start: 0, highWaterMark: SLICE_BYTES });
      return { ...this.begin({ kind: 'file', label: label || name }, stat.size, decoded(stream, compressed, utf16), () => stream.bytesRead).status };
    }
    const scan = this.begin({ kind: 'file', label: label || name }, stat.size, readInto(handle, (n) => (read += n)), () => read);
    return { ...scan.status };
  }

  status(scanId: string): ScanStatus {
    return { ...this.get(scanId).status };
  }

  async cancel(scanId: string): Promise<ScanStatus> {
    const scan = this.get(scanId);
    scan.abort.abort();
    await scan.done;
    return { ...scan.status };
  }

  findings(scanId: string): { status: ScanStatus; findings: LeakFinding[] } {
    const scan = this.get(scanId);
    return { status: { ...scan.status }, findings: scan.findings };
  }

  /** The findings of a scan that ended (done, or cancelled after what it read), for a playbook started from them. */
  finished(scanId: string): { status: ScanStatus; findings: LeakFinding[] } {
    const scan = this.get(scanId);
    if (scan.status.state === 'running') throw new CoreError('LEAK_SCAN_NOT_DONE', 'That scan is still running. Wait for it, or cancel it to use what it found so far.');
    if (scan.status.state === 'failed') throw new CoreError('LEAK_SCAN_NOT_DONE', 'That scan failed, so it found nothing to start from. Scan the text again.');
    return { status: { ...scan.status }, findings: scan.findings };
  }

  discard(scanId: string): void {
    const scan = this.scans.get(scanId);
    scan?.abort.abort();
    this.scans.delete(scanId);
  }

  /** On lock: every scan stops and everything found is forgotten. */
  clear(): void {
    for (const scan of this.scans.values()) scan.abort.abort();
    this.scans.clear();
  }

  private get(scanId: string): Scan {
    const scan = this.scans.get(scanId);
    if (!scan) throw new CoreError('LEAK_SCAN_NOT_FOUND', 'That scan is gone (the vault was locked, or it was discarded). Scan the text again.');
    return scan;
  }

  private begin(source: ScanStatus['source'], totalBytes: number, chunks: AsyncIterable<Buffer>, progress: () => number): Scan {
    const vault = this.deps.vault();
    const scan: Scan = {
      status: {
        scanId: randomUUID(),
        state: 'running',
        source,
        bytesScanned: 0,
        totalBytes,
        lines: 0,
        found: 0,
        truncated: false,
        startedAt: this.deps.now().toISOString(),
        finishedAt: null,
        error: null,
      },
      vault,
      abort: new AbortController(),
      found: new Map(),
      findings: [],
      done: Promise.resolve(),
    };
    this.scans.set(scan.status.scanId, scan);
    // The oldest ended scans go; a running one is never dropped to make room.
    const ended = [...this.scans.values()].filter((s) => s.status.state !== 'running');
    for (const old of ended.slice(0, Math.max(0, this.scans.size - KEPT_SCANS))) this.discard(old.status.scanId);
    scan.done = this.run(scan, chunks, progress);
    return scan;
  }

  private async run(scan: Scan, chunks: AsyncIterable<Buffer>, progress: () => number): Promise<void> {
    const scanner = new SecretScanner();
    const { status } = scan;
    let failure: string | null = null;
    try {
      for await (const chunk of chunks) {
        if (scan.abort.signal.aborted) break;
        this.collect(scan, scanner.push(chunk));
        status.bytesScanned = progress();
        status.lines = scanner.lines;
      }
    } catch (error) {
      failure = `The text could not be read to the end (${(error as NodeJS.ErrnoException).code ?? 'read error'}: a file cut short, or changed while it was read). What was read before that is listed.`;
    }
    const cancelled = scan.abort.signal.aborted;
    if (!cancelled && !failure) this.collect(scan, scanner.end());
    status.lines = scanner.lines;
    // A cancelled or failed scan still lists what it found before it stopped; a discarded one (or a lock) keeps nothing.
    if (this.scans.has(status.scanId)) {
      try {
        scan.findings = await this.describe(scan);
      } catch (error) {
        failure = error instanceof CoreError ? error.message : 'The findings could not be matched against the inventory. Scan again.';
      }
    }
    status.state = failure ? 'failed' : cancelled ? 'cancelled' : 'done';
    status.error = failure;
    status.finishedAt = this.deps.now().toISOString();
    status.found = scan.findings.length;
    scan.found.clear();
    this.audit(scan);
  }

  private collect(scan: Scan, candidates: ReturnType<SecretScanner['push']>): void {
    for (const candidate of candidates) {
      const detected = detectSecret(candidate);
      if (!detected) continue;
      const known = scan.found.get(detected.secret);
      if (known) {
        known.occurrences++;
        if (known.places.length < MAX_PLACES) known.places.push({ line: candidate.line, column: candidate.column });
        known.detected.assignedTo ??= detected.assignedTo;
      } else if (scan.found.size < MAX_FINDINGS) {
        scan.found.set(detected.secret, { detected, places: [{ line: candidate.line, column: candidate.column }], occurrences: 1 });
      } else {
        scan.status.truncated = true;
      }
    }
    scan.status.found = scan.found.size;
  }

  /** Fingerprints, inventory matches and JWT readings; the secrets themselves go no further. */
  private async describe(scan: Scan): Promise<LeakFinding[]> {
    const locked = () => new CoreError('VAULT_LOCKED', 'The vault locked during the scan; nothing was kept. Unlock and scan again.');
    if (scan.vault.isClosed) throw locked();
    const found = [...scan.found.values()];
    const keys = await Promise.all(found.map((f) => matchKeys(scan.vault, f.detected.secret, f.detected.variants, f.detected.kind === 'private_key')));
    if (scan.vault.isClosed) throw locked();
    const credentials = findCredentials(scan.vault, keys);
    let inspected = 0;
    const findings: LeakFinding[] = [];
    for (const [i, f] of found.entries()) {
      const inspect = f.detected.kind === 'jwt' && inspected++ < MAX_INSPECTED_JWTS;
      findings.push(await describeFinding({ id: `f${i + 1}`, ...f }, keys[i], credentials, inspect ? this.deps.inspectJwt : null));
    }
    return findings.sort(byUrgency);
  }

  private audit(scan: Scan): void {
    // A lock closed the vault: nothing can be written, and nothing was kept.
    if (scan.vault.isClosed) return;
    const { status, findings } = scan;
    const discarded = !this.scans.has(status.scanId);
    const byKind: Record<string, number> = {};
    for (const f of findings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
    const matched = findings.filter((f) => f.matches.length > 0);
    scan.vault.write((tx) =>
      tx.audit({
        action: 'leaks.scanned',
        target: status.scanId,
        detail: {
          source: status.source.kind,
          state: discarded ? 'discarded' : status.state,
          bytes: status.bytesScanned,
          lines: status.lines,
          found: findings.length,
          matched: matched.length,
          unknown: findings.length - matched.length,
          byKind,
          credentialIds: [...new Set(matched.flatMap((f) => f.matches.map((m) => m.credentialId)))],
          fingerprints: findings.slice(0, MAX_AUDITED_FINGERPRINTS).map((f) => f.fingerprint),
        },
      }),
    );
  }
}

/** Ours first, then the most severe, then in order of appearance. */
function byUrgency(a: LeakFinding, b: LeakFinding): number {
  return Number(b.matches.length > 0) - Number(a.matches.length > 0) || severityRank(a.severity) - severityRank(b.severity) || Number(a.id.slice(1)) - Number(b.id.slice(1));
}

/** UTF-16 by its byte-order mark, or without one by the NULs of ASCII text in it (a PowerShell `>` redirect writes it so). */
function utf16Of(head: Buffer): 'utf-16le' | 'utf-16be' | null {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0)) return 'utf-16le';
  if ((head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0 && head[1] !== 0 && head[2] === 0 && head[3] !== 0)) return 'utf-16be';
  return null;
}

/** A file's bytes as UTF-8 or ASCII-compatible text: gzip is inflated, UTF-16 transcoded. */
/**
 * A plain file, read slice by slice into one buffer: the scanner copies each slice before it asks
 * for the next, and memory touched for the first time costs more on these machines than the copy.
 */
async function* readInto(handle: FileHandle, counted: (bytes: number) => void): AsyncGenerator<Buffer> {
  const slice = Buffer.allocUnsafe(SLICE_BYTES);
  try {
    for (;;) {
      const { bytesRead } = await handle.read(slice, 0, SLICE_BYTES, null);
      if (bytesRead === 0) return;
      counted(bytesRead);
      yield slice.subarray(0, bytesRead);
    }
  } finally {
    slice.fill(0);
    await handle.close();
  }
}

async function* decoded(stream: ReadStream, compressed: boolean, utf16: 'utf-16le' | 'utf-16be' | null): AsyncGenerator<Buffer> {
  try {
    // pipeline passes a read error on to the gunzip stream, so the scan fails instead of waiting forever.
    const source: AsyncIterable<Buffer> = compressed ? pipeline(stream, createGunzip(), () => undefined) : stream;
    const decoder = utf16 ? new TextDecoder(utf16) : null;
    for await (const chunk of source) yield decoder ? Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8') : chunk;
  } finally {
    stream.destroy();
  }
}
