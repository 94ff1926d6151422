import { describe, expect, it } from 'vitest';
import { relativeSpan, span } from '../../shared/spans';

describe('spans', () => {
  it('reads coarse, in the unit a responder would say', () => {
    expect([0, 89, 90, 5399, 5400, 172_799, 172_800, -3 * 86_400].map(span)).toEqual(['0 s', '89 s', '2 min', '90 min', '2 h', '48 h', '2 days', '3 days']);
  });

  it('says which way an instant lies from now', () => {
    expect(relativeSpan(1_000_000 + 240_000, 1_000_000)).toBe('in 4 min');
    expect(relativeSpan(1_000_000 - 3 * 3_600_000, 1_000_000)).toBe('3 h ago');
    expect(relativeSpan(1_000_000, 1_000_000)).toBe('in 0 s');
  });
});
