import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { displayFingerprint, fingerprintSecret } from '../../../electron/core/credentials/fingerprint';

describe('keyed fingerprints', () => {
  const key = randomBytes(32);

  it('matches the same secret wherever it is recorded, and only it', () => {
    expect(fingerprintSecret(key, 'sk_live_51H')).toBe(fingerprintSecret(key, 'sk_live_51H'));
    expect(fingerprintSecret(key, 'sk_live_51H')).not.toBe(fingerprintSecret(key, 'sk_live_51I'));
    // Pasted with a newline, or from a CSV cell with a stray space, it is still the same secret.
    expect(fingerprintSecret(key, 'sk_live_51H\n')).toBe(fingerprintSecret(key, ' sk_live_51H'));
  });

  it('cannot be recomputed without the vault key, so it does not confirm guesses', () => {
    expect(fingerprintSecret(randomBytes(32), 'sk_live_51H')).not.toBe(fingerprintSecret(key, 'sk_live_51H'));
  });

  it('shows a short grouped form', () => {
    expect(displayFingerprint('0123456789abcdef0123')).toBe('fp:0123:4567:89ab:cdef');
  });
});
