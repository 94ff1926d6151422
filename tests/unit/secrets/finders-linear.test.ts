/**
 * The leak finders are built at run time from a table (detectors.ts), where eslint-plugin-regexp
 * cannot see them; this runs the same analysis (scslre) on what is built. It finds backtracking
 * that trades one repeated character, not every super-linear case (a repeated run such as
 * `eyJ-` is not one character): the hostile-input tests in scanner.test.ts cover those.
 */
import { RegExpParser } from '@eslint-community/regexpp';
import { analyse } from 'scslre';
import { describe, expect, it } from 'vitest';
import { combinedFinder, KNOWN_FORMAT } from '../../../electron/core/secrets/detectors';

const parser = new RegExpParser({ ecmaVersion: 2025 });

function superLinear(pattern: RegExp): string[] {
  const literal = parser.parseLiteral(`/${pattern.source}/${pattern.flags}`);
  return analyse(literal, { reportTypes: { Move: true, Self: true, Trade: true } }).reports.map((report) => `${report.type}${report.exponential ? ' (exponential)' : ''} at ${report.character.literal.source}`);
}

describe('leak finders built at run time', () => {
  it('have no super-linear backtracking or moves the analysis can find', () => {
    expect(superLinear(combinedFinder())).toEqual([]);
    expect(superLinear(KNOWN_FORMAT)).toEqual([]);
  });

  it('are analysed for real: the patterns fixed before are caught', () => {
    // The report's old `kid: X` lookbehind and the leak triage's old timestamped-line tail.
    expect(superLinear(/(?<=kid[ \t]*[:=]?[ \t]*)\S+/g)).not.toEqual([]);
    expect(superLinear(/[A-Za-z0-9+/=]*$/g)).not.toEqual([]);
  });
});
