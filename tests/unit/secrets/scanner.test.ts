/**
 * The streaming scanner: however the text is cut into chunks (one, single bytes, random sizes, a
 * secret or a PEM block straddling the cut, a UTF-8 character split in two) it finds the same
 * candidates at the same lines and columns; a line over 1 MB, CRLF line ends and line counts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MATCH_CHARS } from '../../../electron/core/secrets/detectors';
import { BASE62, buildLeakCorpus, candidatesOf, detectAll, pemOf, seededEcKey, seededRandom, pick, splitAt } from '../../support/leak-corpus';

const corpus = await buildLeakCorpus();
const corpusBytes = Buffer.from(corpus.text, 'utf8');
const whole = candidatesOf([corpusBytes]);

const r = seededRandom(0x5ca1_1e55);
const ghp = `ghp_${pick(r, BASE62, 36)}`;
const stripe = `sk_live_${pick(r, BASE62, 40)}`;
const ecPem = pemOf(seededEcKey(r), 'sec1');
/** Small enough to push a byte at a time: a secret after non-ASCII text, an assignment, a PEM block, CRLF. */
const SMALL = `first line\r\nZoë 🚀 naïve — 日本 token=${ghp}\nSTRIPE_SECRET_KEY=${stripe} and again ${stripe}\r\n${ecPem}tail without newline`;
const smallBytes = Buffer.from(SMALL, 'utf8');
const small = candidatesOf([smallBytes]);

/** Byte offset of a string's first appearance in the UTF-8 text. */
const byteOffset = (text: string, part: string) => Buffer.byteLength(text.slice(0, text.indexOf(part)), 'utf8');

describe('SecretScanner', () => {
  it('finds the small text\'s candidates where they are', () => {
    const at = (text: string) => small.candidates.filter((c) => c.shape !== 'assignment' && c.text.startsWith(text)).map(({ line, column }) => ({ line, column }));
    // 23 characters (but 33 bytes) before it on its line.
    expect([...'Zoë 🚀 naïve — 日本 token='].length).toBe(23);
    expect(at(ghp)).toEqual([{ line: 2, column: 24 }]);
    expect(small.candidates.find((c) => c.shape === 'assignment' && c.text === ghp)).toMatchObject({ assignedTo: 'token', line: 2, column: 24 });
    expect(at(stripe)).toEqual([{ line: 3, column: 19 }, { line: 3, column: 19 + stripe.length + 11 }]);
    expect(at('-----BEGIN EC PRIVATE KEY-----')).toEqual([{ line: 4, column: 1 }]);
    expect(small.candidates.find((c) => c.text === stripe)?.assignedTo).toBe('STRIPE_SECRET_KEY');
    expect(small.lines).toBe(SMALL.split('\n').length);
  });

  it('gives the same candidates when the text comes one byte at a time', () => {
    const bytes = [...smallBytes].map((b) => Buffer.from([b]));
    expect(candidatesOf(bytes)).toEqual(small);
  });

  it('gives the same candidates for the corpus cut at random sizes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: corpusBytes.length - 1 }), { minLength: 1, maxLength: 60 }), (cuts) => {
        expect(candidatesOf(splitAt(corpusBytes, cuts))).toEqual(whole);
      }),
      { numRuns: 40, seed: 42 },
    );
  });

  it('gives the same candidates for the corpus cut into many small chunks', () => {
    for (const size of [7, 61, 509, 4096]) {
      const cuts = Array.from({ length: Math.ceil(corpusBytes.length / size) }, (_, i) => i * size);
      expect(candidatesOf(splitAt(corpusBytes, cuts))).toEqual(whole);
    }
  });

  it('finds a secret straddling a chunk boundary, at every cut inside it', () => {
    for (const planted of corpus.planted.filter((p) => p.kind !== 'private_key')) {
      const written = planted.secret;
      const from = byteOffset(corpus.text, written);
      for (const inside of [1, Math.floor(written.length / 2), written.length - 1]) {
        expect(candidatesOf(splitAt(corpusBytes, [from + inside])), `${planted.id} cut at ${inside}`).toEqual(whole);
      }
    }
  });

  it('finds a PEM block straddling chunk boundaries, raw and JSON-escaped', () => {
    for (const header of ['-----BEGIN RSA PRIVATE KEY-----', '-----BEGIN OPENSSH PRIVATE KEY-----', '\\n-----END PRIVATE KEY-----']) {
      const from = byteOffset(corpus.text, header);
      for (const inside of [5, 40, 700, 1500]) expect(candidatesOf(splitAt(corpusBytes, [from + inside])), `${header} cut at ${inside}`).toEqual(whole);
      // And a block at the very edge of the scanner's overlap window.
      expect(candidatesOf(splitAt(corpusBytes, [from + MAX_MATCH_CHARS, from + 3]))).toEqual(whole);
    }
  });

  it('counts columns in characters when a UTF-8 character is split between chunks', () => {
    const text = `é🚀日 naïve ${ghp}\n`;
    const bytes = Buffer.from(text, 'utf8');
    // Column 11 in characters is byte 17: é is 2 bytes, 🚀 4, 日 3 and ï 2.
    const expected = [{ shape: 'token', text: ghp, assignedTo: null, line: 1, column: 11, offset: 17 }];
    expect(candidatesOf([bytes]).candidates).toEqual(expected);
    // Inside é (2 bytes), inside 🚀 (4 bytes: after 1, 2 and 3 of them), inside 日 (3 bytes).
    for (const cut of [1, 3, 4, 5, 7, 8]) expect(candidatesOf(splitAt(bytes, [cut])).candidates, `cut at byte ${cut}`).toEqual(expected);
  });

  it('finds a secret at the end of a line over 1 MB, read in 64 KB chunks', () => {
    const filler = 'GET /v1/orders 200 12ms '.repeat(Math.ceil((1.2 * 1024 * 1024) / 24));
    const text = `before\n${filler}password=${pick(r, BASE62, 30)} ${ghp}\nafter\n`;
    const bytes = Buffer.from(text, 'utf8');
    const cuts = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => i * 65536);
    const { candidates, lines } = candidatesOf(splitAt(bytes, cuts));
    expect(candidates.map(({ shape, line, column }) => ({ shape, line, column }))).toEqual([
      { shape: 'assignment', line: 2, column: filler.length + 10 },
      { shape: 'token', line: 2, column: filler.length + 10 + 31 },
    ]);
    expect(candidates[1].text).toBe(ghp);
    expect(lines).toBe(3);
  });

  it('reads CRLF text exactly as LF text: the same lines and columns', () => {
    const lf = corpus.text.replace(/\r\n/g, '\n');
    const crlf = lf.replace(/\n/g, '\r\n');
    // Offsets are in bytes, which the carriage returns move.
    const strip = ({ offset: _, ...c }: { text: string; offset: number }) => ({ ...c, text: c.text.replace(/\r/g, '') });
    expect(candidatesOf([Buffer.from(crlf)]).candidates.map(strip)).toEqual(candidatesOf([Buffer.from(lf)]).candidates.map(strip));
    expect(candidatesOf([Buffer.from(crlf)]).lines).toBe(candidatesOf([Buffer.from(lf)]).lines);
  });

  it('counts lines: a last line without a newline counts, an empty text has none', () => {
    const lines = (text: string, chunk = 1) => candidatesOf(splitAt(Buffer.from(text), Array.from({ length: text.length }, (_, i) => i * chunk))).lines;
    expect(lines('')).toBe(0);
    expect(lines('one')).toBe(1);
    expect(lines('one\n')).toBe(1);
    expect(lines('one\ntwo')).toBe(2);
    expect(lines('one\r\ntwo\r\n')).toBe(2);
    expect(lines('\n\n\n')).toBe(3);
    expect(whole.lines).toBe(corpus.text.split('\n').length - 1);
  });
});

describe('hostile runs', () => {
  it('reads a run of eyJ- once, and still finds a JWT after it', () => {
    // Every eyJ inside one dashed run used to scan the run again: 160 KB took 20 s.
    const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEiLCJleHAiOjE4MDAwMDAwMDB9.${'Qk'.repeat(22)}`;
    const started = performance.now();
    const found = detectAll(`${'eyJ-'.repeat(64 * 1024)} ${jwt}\n`);
    expect(performance.now() - started).toBeLessThan(2000);
    expect([...found.keys()]).toEqual([jwt]);
  });
});

describe('tokens in a URL percent-encoded inside another URL', () => {
  const pat = 'ghp_R7kQ2mX9pL4vN8sT1wZ6yB3cF5hJ0dG2aE7u';
  const found = (text: string) => [...detectAll(`${text}\n`).values()].map((f) => [f.detected.secret, f.detected.assignedTo, f.places[0].column]);

  it('finds a token after an escaped separator, named by the parameter before it', () => {
    const line = `GET /sso?return_to=https%3A%2F%2Fci%2Fhook%3Fapi_key%3D${pat}%26b%3D1`;
    expect(found(line)).toEqual([[pat, 'api_key', line.indexOf(pat) + 1]]);
    expect(found(`u=%2fcb%23access_token%3d${pat}`)).toEqual([[pat, 'access_token', 26]]);
  });

  it('takes no token after an escape of a word character, which would be part of a longer run', () => {
    expect(found(`x=%41${pat}`)).toEqual([]);
  });

  it('never names a token by the token glued to it with =', () => {
    const hf = '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';
    expect(found(`${hf}%3D${pat}`)).toEqual([[hf, null, 1], [pat, null, hf.length + 4]]);
  });
});
