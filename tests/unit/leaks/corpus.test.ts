/**
 * The leak corpus: every planted secret of every supported format is found, as the right kind and
 * provider, at every place it was written (line and column in characters, after non-ASCII text
 * too), with the name it was assigned to; no decoy is reported, and nothing else is.
 */
import { describe, expect, it } from 'vitest';
import { buildLeakCorpus, detectAll } from '../../support/leak-corpus';

const corpus = await buildLeakCorpus();
const found = detectAll(corpus.text);
const plantedSecrets = new Set(corpus.planted.map((p) => p.secret));
/** What was reported that is not planted, with its first place, for a readable failure. */
const unexpected = [...found.values()].filter((f) => !plantedSecrets.has(f.detected.secret)).map((f) => ({ at: f.places[0], format: f.detected.format, masked: f.detected.masked }));

describe('the leak corpus', () => {
  it('plants every supported kind and decoy category in a realistic text', () => {
    expect(new Set(corpus.planted.map((p) => p.kind))).toEqual(new Set(['provider', 'jwt', 'private_key', 'generic']));
    expect(corpus.planted.length).toBeGreaterThanOrEqual(45);
    expect(corpus.decoys.length).toBeGreaterThanOrEqual(40);
    // The text has non-ASCII before a secret on its line, and CRLF lines.
    expect(corpus.text).toMatch(/🚀.*"slack":"xoxb-/);
    expect(corpus.text).toContain('\r\n');
  });

  it('is the same text for the same seed', async () => {
    const again = await buildLeakCorpus();
    // ES256 signatures and a JWE carry fresh randomness; everything else repeats.
    const stable = (text: string) => text.replace(/eyJhbGciOiJFUzI1NiIs[\w.-]+|eyJhbGciOiJSU0EtT0FFUC0y[\w.-]+/g, 'TOKEN');
    expect(stable(again.text)).toBe(stable(corpus.text));
  });

  it.each(corpus.planted.map((p) => [p.id, p] as const))('finds the planted %s secret where it was written', (_id, planted) => {
    const finding = found.get(planted.secret);
    expect(finding, `${planted.id} at ${JSON.stringify(planted.places)} was not reported`).toBeDefined();
    expect(finding!.detected).toMatchObject({ kind: planted.kind, provider: planted.provider });
    if (planted.format) expect(finding!.detected.format).toMatch(planted.format);
    if (planted.assignedTo) expect(finding!.detected.assignedTo).toBe(planted.assignedTo);
    expect(finding!.places).toEqual(planted.places);
  });

  it.each(corpus.decoys.map((d) => [d.why, d] as const))('does not report %s', (_why, decoy) => {
    const reported = [...found.values()].filter((f) => f.places.some((p) => decoy.lines.includes(p.line)) && !plantedSecrets.has(f.detected.secret));
    expect(reported.map((f) => `${f.detected.format}: ${f.detected.masked}`)).toEqual([]);
  });

  it('reports nothing but the planted secrets', () => {
    expect(unexpected).toEqual([]);
  });

  it('finds a private key written twice, raw and JSON-escaped, as one secret in two places', () => {
    const key = corpus.planted.find((p) => p.id === 'pem-pkcs8')!;
    expect(key.places).toHaveLength(2);
    expect(found.get(key.secret)?.places).toEqual(key.places);
  });
});
