import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IMPORT_SESSION_MS, ImportSessions } from '../../../electron/core/transfer/import-sessions';

const source = { format: 'csv' as const, records: [] };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('import sessions', () => {
  it('drops a session left untouched for 15 minutes', () => {
    const sessions = new ImportSessions();
    const { id } = sessions.open('a.csv', source);
    vi.advanceTimersByTime(IMPORT_SESSION_MS - 1000);
    expect(sessions.get(id).fileName).toBe('a.csv');
    vi.advanceTimersByTime(IMPORT_SESSION_MS - 1000);
    expect(sessions.get(id).fileName).toBe('a.csv');
    vi.advanceTimersByTime(IMPORT_SESSION_MS);
    expect(() => sessions.get(id)).toThrow(expect.objectContaining({ code: 'IMPORT_EXPIRED' }));
    expect(sessions.size).toBe(0);
  });

  it('drops everything on clear, and a session taken before it is not put back', () => {
    const sessions = new ImportSessions();
    const a = sessions.open('a.csv', source);
    const b = sessions.open('b.csv', source);
    const taken = sessions.take(a.id);
    expect(() => sessions.get(a.id)).toThrow(expect.objectContaining({ code: 'IMPORT_EXPIRED' }));
    sessions.clear();
    taken.putBack();
    expect(() => sessions.get(a.id)).toThrow(expect.objectContaining({ code: 'IMPORT_EXPIRED' }));
    expect(() => sessions.get(b.id)).toThrow(expect.objectContaining({ code: 'IMPORT_EXPIRED' }));
  });

  it('puts a taken session back when nothing was cleared meanwhile', () => {
    const sessions = new ImportSessions();
    const a = sessions.open('a.csv', source);
    sessions.take(a.id).putBack();
    expect(sessions.get(a.id)).toBe(a);
  });

  it('keeps at most three files open, dropping the least recently used', () => {
    const sessions = new ImportSessions();
    const [a, b, c] = ['a', 'b', 'c'].map((name) => sessions.open(`${name}.csv`, source));
    sessions.get(a.id);
    const d = sessions.open('d.csv', source);
    expect(() => sessions.get(b.id)).toThrow(expect.objectContaining({ code: 'IMPORT_EXPIRED' }));
    expect([a, c, d].map((s) => sessions.get(s.id).fileName)).toEqual(['a.csv', 'c.csv', 'd.csv']);
  });
});
