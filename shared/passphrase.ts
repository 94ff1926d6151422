/**
 * Passphrase strength, shared so the renderer's meter and the core's refusal agree. The core is the
 * one that enforces it; the renderer only shows it.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

export const MIN_PASSPHRASE_LENGTH = 12;
/** zxcvbn score (0–4) a passphrase must reach: 3 is "safely unguessable" against an offline attack on a slow hash. */
export const MIN_PASSPHRASE_SCORE = 3;

export interface PassphraseAssessment {
  score: 0 | 1 | 2 | 3 | 4;
  acceptable: boolean;
  /** One sentence saying what is wrong, or null when it is acceptable. */
  problem: string | null;
  suggestions: string[];
}

let factory: ZxcvbnFactory | undefined;
function checker(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return factory;
}

export function assessPassphrase(passphrase: string, context: string[] = []): PassphraseAssessment {
  // zxcvbn's cost grows with length; beyond 100 characters the extra text cannot lower the score.
  const result = checker().check(passphrase.slice(0, 100), ['credops', 'vault', ...context]);
  const score = result.score;
  let problem: string | null = null;
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    problem = `Use at least ${MIN_PASSPHRASE_LENGTH} characters.`;
  } else if (score < MIN_PASSPHRASE_SCORE) {
    problem = result.feedback.warning || 'This passphrase is too easy to guess.';
  }
  return { score, acceptable: problem === null, problem, suggestions: result.feedback.suggestions };
}
