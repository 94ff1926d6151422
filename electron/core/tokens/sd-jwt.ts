/**
 * SD-JWT (RFC 9901): an issuer-signed JWT whose selectively disclosable claims are there only as
 * digests, then `~` and the disclosures the holder chose to show, each `[salt, name, value]` (or
 * `[salt, value]` for an array element), then, when the holder proves it holds the key the issuer
 * bound the credential to, a Key Binding JWT (key-binding.ts). Read as a verifier reads it: every
 * disclosure must be one whose digest the issuer signed, every digest counts once, and the claims
 * are the payload with what the disclosures say put in place of their digests.
 */
import { createHash } from 'node:crypto';
import { MAX_DISCLOSURES, type SdDisclosure } from '../../../shared/tokens';
import { firstChangedInteger, isJsonObject, jsonShapeProblem } from '../json-depth';
import { valueForScreen } from './claims';
import { MAX_JSON_DEPTH } from './decode';
import { quoted, type Finding } from './header-checks';
import { pathOf } from './sensitive-data';

export interface SdJwtParts {
  issuerJwt: string;
  disclosures: string[];
  /** The Key Binding JWT after the last `~`, or null when the presentation ends with `~`. */
  keyBinding: string | null;
  /** What a KB-JWT's "sd_hash" is the digest of: the presentation up to and with its last `~`. */
  hashed: string;
}

/** Every SD-JWT begins so: a compact JWS (3 parts) and a `~`. */
const ISSUER_JWT_THEN_TILDE = /^e[w-z0-9_-][A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*~/;
/** Far beyond a credential's disclosures; all of them are hashed and parsed. */
const MAX_DISCLOSED_CHARS = 1024 * 1024;

/** A token in SD-JWT form, taken apart; null when it is not one, and a reason when it is one too large to read. */
export function splitSdJwt(token: string): SdJwtParts | { tooLarge: string } | null {
  const match = ISSUER_JWT_THEN_TILDE.exec(token);
  if (!match) return null;
  const first = match[0].length - 1;
  const last = token.lastIndexOf('~');
  let count = 0;
  for (let at = first; at < last && count <= MAX_DISCLOSURES; at = token.indexOf('~', at + 1)) count++;
  if (count > MAX_DISCLOSURES) return { tooLarge: `more than ${MAX_DISCLOSURES.toLocaleString('en')} disclosures; a credential has a few dozen` };
  if (last - first > MAX_DISCLOSED_CHARS) return { tooLarge: `${((last - first) / 1024 / 1024).toFixed(1)} MB of disclosures; a credential's are a few kilobytes` };
  return {
    issuerJwt: token.slice(0, first),
    disclosures: first === last ? [] : token.slice(first + 1, last).split('~'),
    keyBinding: last === token.length - 1 ? null : token.slice(last + 1),
    hashed: token.slice(0, last + 1),
  };
}

/** "_sd_alg" names (IANA's Named Information Hash Algorithms) that are fit for digests, as node:crypto calls them. */
const HASHES: Readonly<Record<string, string>> = { 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512', 'sha3-256': 'sha3-256', 'sha3-384': 'sha3-384', 'sha3-512': 'sha3-512' };
export const DEFAULT_SD_ALG = 'sha-256';

/** The node:crypto name of an "_sd_alg", or null for one CredOps does not take. */
export function hashOf(sdAlg: string): string | null {
  return Object.hasOwn(HASHES, sdAlg) ? HASHES[sdAlg] : null;
}

/** A disclosure as read, and what became of it. */
interface Read {
  /** From 1, as the presentation lists them. */
  number: number;
  text: string;
  digest: string;
  salt: string | null;
  name: string | null;
  value: unknown;
  /** 3 for a claim's disclosure, 2 for an array element's, null when it does not read. */
  elements: 2 | 3 | null;
  /** Why a verifier rejects it, once known. */
  problem: string | null;
  path: string | null;
  /** The top-level claim it was put into (itself, for a claim disclosed at the top). */
  top: string | null;
  /** An integer in it that parsing changes (past 2^53), as written and as read; and its value as written. */
  imprecise: { written: string; read: string } | null;
  valueText: string | null;
}

/** Made an own member whatever its name (`__proto__` too), as JSON.parse makes it. */
const put = (target: Record<string, unknown>, name: string, value: unknown) => Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** 128 bits as base64url: the least salt that keeps a withheld claim from being guessed by hashing candidates. */
const MIN_SALT_CHARS = 22;
/** Deeper than the payload may be, counting each disclosure inside another as a level. */
const MAX_REVEAL_DEPTH = 2 * MAX_JSON_DEPTH;
/** Findings about single disclosures, at most: the list says the rest. */
const MAX_DISCLOSURE_FINDINGS = 10;

function readDisclosure(text: string, number: number, hash: string): Read {
  const read: Read = { number, text, digest: createHash(hash).update(text).digest('base64url'), salt: null, name: null, value: undefined, elements: null, problem: null, path: null, top: null, imprecise: null, valueText: null };
  const fail = (problem: string) => Object.assign(read, { problem });
  if (!BASE64URL.test(text) || text.length % 4 === 1) return fail(text === '' ? 'is empty (two `~` in a row)' : 'is not base64url');
  const json = Buffer.from(text, 'base64url').toString('utf8');
  const shape = jsonShapeProblem(json, MAX_JSON_DEPTH);
  if (shape) return fail('deeper' in shape ? `nests JSON deeper than ${MAX_JSON_DEPTH} levels` : `names ${quoted(shape.repeated, 60)} twice`);
  let array: unknown;
  try {
    array = JSON.parse(json);
  } catch {
    return fail('is not JSON');
  }
  if (!Array.isArray(array) || (array.length !== 2 && array.length !== 3)) return fail('is not a JSON array of [salt, name, value] or [salt, value]');
  if (typeof array[0] !== 'string') return fail('has a salt that is not a string');
  read.salt = array[0];
  if (array.length === 3) {
    if (typeof array[1] !== 'string') return fail('names its claim with something other than a string');
    // These two names say where digests are; a disclosure naming them would hide or forge some.
    if (array[1] === '_sd' || array[1] === '...') return fail(`names its claim ${quoted(array[1])}, which no disclosure may`);
    read.name = array[1];
  }
  const imprecise = firstChangedInteger(json);
  return Object.assign(read, { value: array.at(-1), elements: array.length, imprecise, valueText: imprecise && lastElementText(json) });
}

/** The last element of a JSON array as written (a disclosure's value), found by its last comma outside strings and nesting. */
function lastElementText(json: string): string | null {
  let depth = 0;
  let comma = -1;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      for (i++; i < json.length && json[i] !== '"'; i++) if (json[i] === '\\') i++;
    } else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) comma = i;
  }
  const end = json.lastIndexOf(']');
  return comma === -1 || end < comma ? null : json.slice(comma + 1, end).trim();
}

/** The digest an array element stands for: `{"...": digest}`, nothing else in it. */
function placeholder(element: unknown): unknown {
  if (!isJsonObject(element)) return undefined;
  const names = Object.keys(element);
  return names.length === 1 && names[0] === '...' ? element['...'] : undefined;
}

interface Walk {
  byDigest: Map<string, Read>;
  seen: Set<string>;
  withheld: number;
  findings: Finding[];
  /** Findings past MAX_DISCLOSURE_FINDINGS, counted rather than listed: 60,000 bad digests are one problem. */
  unlisted: number;
  /** Top-level claims a disclosure was put into: no longer as the issuer wrote them. */
  changed: Set<string>;
}

function report(walk: Walk, finding: Finding): void {
  if (walk.findings.length < MAX_DISCLOSURE_FINDINGS) walk.findings.push(finding);
  else walk.unlisted++;
}

function invalid(where: string, message: string): Finding {
  return { code: 'DISCLOSURE_INVALID', severity: 'high', where, message, blocking: true };
}

/** The disclosure a digest the issuer signed stands for: null when it is withheld, or counted already. */
function take(walk: Walk, digest: string, where: string): Read | null {
  if (walk.seen.has(digest)) {
    report(walk, invalid(where, `The issuer signed the digest ${quoted(digest, 60)} twice: a verifier rejects an SD-JWT whose digests repeat, since one disclosure would then fill two places.`));
    return null;
  }
  walk.seen.add(digest);
  const read = walk.byDigest.get(digest);
  if (!read) walk.withheld++;
  return read ?? null;
}

/** `top`: the top-level claim `value` lies in, null for the payload itself. */
function reveal(walk: Walk, value: unknown, path: string, depth: number, top: string | null): unknown {
  if (depth > MAX_REVEAL_DEPTH) {
    report(walk, invalid(path, `Disclosures inside disclosures go deeper than ${MAX_REVEAL_DEPTH} levels; no credential does, so CredOps reads no further. Reject it.`));
    return value;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const element of value) {
      const digest = placeholder(element);
      if (digest === undefined) {
        out.push(reveal(walk, element, pathOf(path, out.length), depth + 1, top));
        continue;
      }
      // A placeholder is gone from what a verifier reads, disclosed or not.
      if (top !== null) walk.changed.add(top);
      if (typeof digest !== 'string') {
        report(walk, invalid(path, 'An array element {"...": …} must hold a digest, a string, and this one does not. Reject it.'));
        continue;
      }
      const read = take(walk, digest, path);
      if (!read) continue;
      if (read.elements !== 2) read.problem ??= `is a claim's ([salt, name, value]) where the issuer signed an array element's digest, in ${path}`;
      else {
        read.path = pathOf(path, out.length);
        read.top = top;
        if (top !== null) walk.changed.add(top);
        out.push(reveal(walk, read.value, read.path, depth + 1, top));
      }
    }
    return out;
  }
  if (!isJsonObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const name in value) {
    if (!Object.hasOwn(value, name) || name === '_sd' || (depth === 0 && name === '_sd_alg')) continue;
    put(out, name, reveal(walk, value[name], pathOf(path, name), depth + 1, top ?? name));
  }
  const digests = value._sd;
  if (digests === undefined) return out;
  if (top !== null) walk.changed.add(top);
  if (!Array.isArray(digests) || !digests.every((d) => typeof d === 'string')) {
    report(walk, invalid(pathOf(path, '_sd'), '"_sd" must be an array of digests (strings), and this one is not. Reject it.'));
    return out;
  }
  for (const digest of digests) {
    const read = take(walk, digest, pathOf(path, '_sd'));
    if (!read) continue;
    if (read.elements !== 3) read.problem ??= `is an array element's ([salt, value]) where the issuer signed a claim's digest, in ${path}`;
    // It names the hash the digests are made with, which no disclosure may set after the fact.
    else if (depth === 0 && read.name === '_sd_alg') read.problem ??= 'discloses "_sd_alg", which names the hash of the digests and is the issuer\'s alone to write';
    else if (Object.hasOwn(out, read.name!)) read.problem ??= `discloses ${quoted(read.name!)}, which ${path} has already: a verifier rejects a disclosure that would overwrite a claim`;
    else {
      read.path = pathOf(path, read.name!);
      read.top = top ?? read.name!;
      if (top !== null) walk.changed.add(top);
      put(out, read.name!, reveal(walk, read.value, read.path, depth + 1, top ?? read.name!));
    }
  }
  return out;
}

export interface Revealed {
  /** The payload as a verifier reads it: disclosed claims in place, digests and "_sd_alg" gone. */
  claims: Record<string, unknown>;
  hashAlg: string;
  /** node:crypto's name of the hash, or null when "_sd_alg" is one CredOps does not take. */
  hash: string | null;
  disclosures: SdDisclosure[];
  withheld: number;
  findings: Finding[];
  /** Top-level claims a disclosure was put into: shown as they are now, not as the issuer's text had them. */
  changed: ReadonlySet<string>;
  /** Top-level claims disclosed with a number parsing changes, as the disclosure wrote them. */
  written: ReadonlyMap<string, string>;
  /** What the holder disclosed in each top-level claim, said beside it on the screen. */
  notes: ReadonlyMap<string, string>;
}

/** Whether a JWS payload is an SD-JWT's, pasted without its `~`: it carries digests or names their hash. */
export function isSelectivelyDisclosable(claims: Record<string, unknown>): boolean {
  return Object.hasOwn(claims, '_sd') || Object.hasOwn(claims, '_sd_alg');
}

/**
 * The claims an SD-JWT discloses, each disclosure's fate, and why a verifier would reject it: a
 * disclosure whose digest the issuer did not sign (added, or altered), one that does not read or
 * is of the wrong kind for its place, a digest signed twice, a hash CredOps does not take.
 */
export function revealDisclosures(payload: Record<string, unknown>, disclosures: readonly string[]): Revealed {
  const sdAlg = payload._sd_alg === undefined ? DEFAULT_SD_ALG : payload._sd_alg;
  const hash = typeof sdAlg === 'string' ? hashOf(sdAlg) : null;
  const hashAlg = typeof sdAlg === 'string' ? sdAlg : JSON.stringify(sdAlg);
  if (!hash) {
    const lower = typeof sdAlg === 'string' && hashOf(sdAlg.toLowerCase()) ? ` Hash names are lower case (${quoted(sdAlg.toLowerCase())}).` : '';
    const message = `"_sd_alg" is ${quoted(hashAlg, 40)}, a hash CredOps does not check digests with (it takes sha-256, sha-384, sha-512 and SHA-3): no disclosure can be matched to what the issuer signed, so none is read.${lower} Reject it.`;
    const unmatched = disclosures.map((): SdDisclosure => ({ name: null, path: null, value: null, digest: '', status: 'unmatched' }));
    return { claims: payload, hashAlg, hash: null, disclosures: unmatched, withheld: 0, changed: new Set(), written: new Map(), notes: new Map(), findings: [{ code: 'SD_ALG_UNSUPPORTED', severity: 'high', where: 'payload._sd_alg', message, blocking: true }] };
  }
  const reads = disclosures.map((text, i) => readDisclosure(text, i + 1, hash));
  const byDigest = new Map<string, Read>();
  for (const read of reads) {
    if (read.problem) continue;
    if (byDigest.has(read.digest)) read.problem = `repeats disclosure ${byDigest.get(read.digest)!.number}`;
    else byDigest.set(read.digest, read);
  }
  const walk: Walk = { byDigest, seen: new Set(), withheld: 0, findings: [], unlisted: 0, changed: new Set() };
  const claims = reveal(walk, payload, 'payload', 0, null) as Record<string, unknown>;
  if (walk.unlisted > 0) walk.findings.push(invalid('payload', `${walk.unlisted.toLocaleString('en')} more ${walk.unlisted === 1 ? 'problem' : 'problems'} with the digests the issuer signed are not listed.`));
  const findings = [...walk.findings, ...disclosureFindings(reads), ...saltFindings(reads), ...impreciseFindings(reads)];
  const view = reads.map(disclosureView);
  const written = new Map(reads.flatMap((read) => (read.valueText !== null && read.path === pathOf('payload', read.name ?? '') ? [[read.name!, read.valueText] as const] : [])));
  return { claims, hashAlg, hash, disclosures: view, withheld: walk.withheld, findings, changed: walk.changed, written, notes: disclosedNotes(reads) };
}

/**
 * Each top-level claim the holder disclosed, or disclosed members of: a verifier reads those from
 * the holder, the rest from the issuer's own text.
 */
function disclosedNotes(reads: readonly Read[]): Map<string, string> {
  const own = new Map<string, number>();
  const inside = new Map<string, number>();
  for (const read of reads) {
    if (read.problem !== null || read.path === null || read.top === null) continue;
    if (read.path === pathOf('payload', read.top)) own.set(read.top, read.number);
    else inside.set(read.top, (inside.get(read.top) ?? 0) + 1);
  }
  const notes = new Map<string, string>();
  for (const [top, count] of inside) notes.set(top, `Holds ${count === 1 ? 'a member' : `${count} members`} disclosed by the holder`);
  for (const [top, number] of own) notes.set(top, `Disclosed by the holder (disclosure ${number})`);
  return notes;
}

function disclosureView({ name, path, value, digest, problem, elements, valueText }: Read): SdDisclosure {
  return {
    name,
    path,
    value: elements === null ? null : valueForScreen(value, valueText ?? undefined).value,
    digest,
    status: problem ? 'malformed' : path === null ? 'unreferenced' : 'disclosed',
  };
}

/** What a number past 2^53 in a disclosure does, as for a claim the issuer wrote plainly: services read different values. */
function impreciseFindings(reads: readonly Read[]): Finding[] {
  const read = reads.find((r) => r.imprecise !== null && r.path !== null);
  if (!read) return [];
  const { written, read: parsed } = read.imprecise!;
  return [{ code: 'IMPRECISE_NUMBER', severity: 'low', where: `disclosure ${read.number}`, message: `Disclosure ${read.number} holds ${written}, an integer past 2^53: JavaScript and many JSON libraries read it as ${parsed}, so services can disagree about its value. Issue large identifiers as strings.`, blocking: false }];
}

/** A verifier rejects the whole presentation for any one disclosure that fails. */
function disclosureFindings(reads: readonly Read[]): Finding[] {
  const failed = reads.filter((read) => read.problem !== null || read.path === null);
  const findings = failed.slice(0, MAX_DISCLOSURE_FINDINGS).map((read) => {
    const named = read.name === null ? `Disclosure ${read.number}` : `Disclosure ${read.number} (${quoted(read.name, 60)})`;
    return read.problem
      ? invalid(`disclosure ${read.number}`, `${named} ${read.problem}. A verifier rejects the whole presentation.`)
      : invalid(`disclosure ${read.number}`, `${named} matches no digest the issuer signed: it was added or altered after issuance, and a verifier rejects the whole presentation. Do not trust what it says.`);
  });
  if (failed.length > MAX_DISCLOSURE_FINDINGS) findings.push(invalid('disclosures', `${failed.length - MAX_DISCLOSURE_FINDINGS} more disclosures fail too: see the list.`));
  return findings;
}

/** A short or repeated salt lets anyone who sees the SD-JWT find a withheld claim by hashing guesses until a digest matches. */
function saltFindings(reads: readonly Read[]): Finding[] {
  const salted = reads.filter((read) => read.salt !== null && read.path !== null);
  const short = salted.find((read) => read.salt!.length < MIN_SALT_CHARS);
  const counts = new Map<string, number>();
  for (const read of salted) counts.set(read.salt!, (counts.get(read.salt!) ?? 0) + 1);
  const repeated = salted.find((read) => counts.get(read.salt!)! > 1);
  const why = 'Whoever sees the SD-JWT can then learn a claim the holder withheld by hashing likely values (a birth date, a country) with the salt until a digest matches. Ask the issuer for 128 random bits per disclosure.';
  const findings: Finding[] = [];
  if (short) findings.push({ code: 'DISCLOSURE_WEAK_SALT', severity: 'medium', where: `disclosure ${short.number}`, message: `Disclosure ${short.number}'s salt is ${short.salt!.length} characters, under the 128 bits (22 base64url characters) a salt needs. ${why}`, blocking: false });
  if (repeated) findings.push({ code: 'DISCLOSURE_WEAK_SALT', severity: 'medium', where: `disclosure ${repeated.number}`, message: `${counts.get(repeated.salt!)} disclosures share the salt of disclosure ${repeated.number}: each needs its own. ${why}`, blocking: false });
  return findings;
}

/**
 * The general findings as they apply to an SD-JWT. Sensitive data a disclosure holds, the holder
 * chose to show; what the issuer left plain, every presentation shows, whatever the holder
 * withholds. A claim missing may be one the holder withheld, which a verifier that needs it refuses.
 */
export function asSdJwtFindings(findings: readonly Finding[], revealed: Pick<Revealed, 'disclosures' | 'withheld'>): Finding[] {
  const disclosed = revealed.disclosures.flatMap((d) => (d.status === 'disclosed' && d.path ? [d.path] : []));
  const under = (where: string | null) => where !== null && disclosed.some((path) => where === path || where.startsWith(`${path}.`) || where.startsWith(`${path}[`));
  return findings.map((f) => {
    if (f.code === 'EXP_MISSING' && revealed.withheld > 0) {
      return { ...f, message: `No expiry ("exp") among the claims shown. The issuer may have made it selectively disclosable and the holder withheld it (${revealed.withheld} ${revealed.withheld === 1 ? 'digest is' : 'digests are'} withheld): a verifier that needs it refuses the presentation without it. If the issuer left it out, the credential works until its key changes.` };
    }
    if (f.code !== 'SENSITIVE_DATA') return f;
    return under(f.where)
      ? { ...f, severity: 'low', message: f.message.replace(/, readable by anyone .*$/, ', disclosed by the holder: readable by anyone who sees this presentation, as the holder chose. Disclosures are not encrypted; keep the presentation out of logs and tickets.') }
      : { ...f, message: f.message.replace(/, readable by anyone .*$/, ', in the clear in the issuer-signed JWT: every presentation shows it, whatever the holder withholds. The issuer should make it selectively disclosable.') };
  });
}
