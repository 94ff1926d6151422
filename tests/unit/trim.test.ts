/** Trimming by character class: the same result as the regular expressions it replaces, in one pass. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAsciiSpace, tailWhile, trimEndWhile, trimWhile } from '../../electron/core/trim';

const isDot = (code: number) => code === 0x2e;
const text = fc.string({ unit: fc.constantFrom('a', '.', ' ', '\t', '\n', '\r', 'é', '\u00a0'), maxLength: 40 });

describe('trim', () => {
  it('agrees with the regular expressions', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(trimWhile(value, isAsciiSpace)).toBe(value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''));
        expect(trimEndWhile(value, isDot)).toBe(value.replace(/\.+$/, ''));
        expect(tailWhile(value, isDot)).toBe(/\.*$/.exec(value)![0]);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a no-break space: only ASCII whitespace is trimmed', () => {
    expect(trimWhile('\u00a0 token \t', isAsciiSpace)).toBe('\u00a0 token');
  });

  it('goes through a long run inside the text once', () => {
    // 5 MB of spaces between two letters: the regular expression it replaces took minutes.
    const inside = `a${' '.repeat(5 * 1024 * 1024)}b`;
    const started = performance.now();
    expect(trimWhile(inside, isAsciiSpace)).toBe(inside);
    expect(tailWhile(`${'.'.repeat(5 * 1024 * 1024)}x`, isDot)).toBe('');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
