/**
 * The one pass that refuses a token's JSON before JSON.parse reads it: too deep, or a member
 * name given twice (which parsers resolve differently).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstChangedInteger, jsonShapeProblem, topLevelMemberTexts } from '../../electron/core/json-depth';

const depthOf = (value: unknown): number => (typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0);

describe('jsonShapeProblem', () => {
  it.each([
    ['a repeated claim', '{"iss":"a","sub":"x","iss":"b"}', 'iss'],
    ['a name repeated in a nested object', '{"a":{"x":1,"y":[{"k":1}],"x":2}}', 'x'],
    ['a repeated name after more names than are scanned one by one', `{${Array.from({ length: 40 }, (_, i) => `"n${i}":${i}`).join(',')},"n7":0}`, 'n7'],
    ['a name with escaped quotes and backslashes, decoded', '{"a\\"b\\\\":1,"c":"\\"","a\\"b\\\\":2}', 'a"b\\'],
    // The parser-differential attack: JSON.parse decodes the second name to the first and keeps the last copy.
    ['a claim repeated under a \\u escape', '{"iss":"https://evil","i\\u0073s":"https://auth.example.com"}', 'iss'],
    ['a header member repeated under a \\u escape', '{"alg":"none","\\u0061lg":"HS256"}', 'alg'],
  ])('finds %s', (_what, text, name) => {
    expect(jsonShapeProblem(text, 32)).toEqual({ repeated: name });
  });

  it.each([
    ['the same name in sibling objects', '{"a":{"x":1},"b":{"x":2},"c":[{"x":3},{"x":4}]}'],
    ['names that appear as values', '{"iss":"iss","sub":["iss","sub"],"x":{"iss":"sub"}}'],
    ['a value holding quotes, braces and commas', '{"a":"{\\"a\\":1,","b":"}]","a2":1}'],
  ])('passes %s', (_what, text) => {
    expect(jsonShapeProblem(text, 32)).toBeNull();
  });

  it('reports depth before a repeated name, wherever each is', () => {
    expect(jsonShapeProblem(`{"a":1,"a":2,"b":${'['.repeat(40)}${']'.repeat(40)}}`, 32)).toEqual({ deeper: true });
  });

  it('reads a name cut off by the end of the text', () => {
    expect(jsonShapeProblem('{"a":1,"a', 32)).toEqual({ repeated: 'a' });
  });

  it('counts arrays and objects alike for depth', () => {
    expect(jsonShapeProblem('[[[{"a":[1]}]]]', 5)).toBeNull();
    expect(jsonShapeProblem('[[[{"a":[[1]]}]]]', 5)).toEqual({ deeper: true });
  });

  it('agrees with JSON.stringify: never a repeated name, and too deep exactly when it is', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 1, max: 8 }), (value, max) => {
        expect(jsonShapeProblem(JSON.stringify(value), max)).toEqual(depthOf(value) > max ? { deeper: true } : null);
      }),
      { numRuns: 500 },
    );
  });

  it('finds a member copied into the object it came from, wherever it sits', () => {
    const object = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1, maxKeys: 30 });
    fc.assert(
      fc.property(object, fc.nat(), (value, pick) => {
        const entries = Object.entries(value);
        const [name, member] = entries[pick % entries.length];
        const text = JSON.stringify(value);
        const repeated = `${text.slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(member)}}`;
        expect(jsonShapeProblem(repeated, 32)).toEqual({ repeated: name });
      }),
      { numRuns: 500 },
    );
  });
});

describe('topLevelMemberTexts', () => {
  it('gives each top-level member as written, by its name decoded, past strings, escapes and nested commas', () => {
    const text = ' { "a" : 12345678901234567891 , "b\\"c":"x,\\"}y" ,"d":{"e":[1,{"f":2}],"g":"]"},"h":[ 3 , 4 ] } ';
    expect(JSON.parse(text)).toBeTruthy();
    expect([...topLevelMemberTexts(text)]).toEqual([
      ['a', '12345678901234567891'],
      ['b"c', '"x,\\"}y"'],
      ['d', '{"e":[1,{"f":2}],"g":"]"}'],
      ['h', '[ 3 , 4 ]'],
    ]);
  });

  it('gives back every member of any object, which parses to the member\'s value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })), fc.boolean(), (object, spaced) => {
        const text = JSON.stringify(object, null, spaced ? 2 : undefined);
        const members = topLevelMemberTexts(text);
        const read = Object.fromEntries([...members].map(([name, value]) => [name, JSON.parse(value) as unknown]));
        expect(read).toEqual(JSON.parse(text));
      }),
    );
  });

  it('has nothing to give for an empty object', () => {
    expect(topLevelMemberTexts('{}').size).toBe(0);
  });
});

describe('firstChangedInteger', () => {
  it.each([
    ['an integer past 2^53 that a double cannot hold', '{"a":12345678901234567891}', { written: '12345678901234567891', read: '12345678901234567168', printed: '12345678901234567000' }],
    ['one written as JavaScript prints it, which is not the value a double holds', '[12345678901234567000]', { written: '12345678901234567000', read: '12345678901234567168', printed: '12345678901234567000' }],
    ['one deeper, after strings holding digits', '{"s":"12345678901234567891","o":{"id":[9007199254740993]}}', { written: '9007199254740993', read: '9007199254740992', printed: '9007199254740992' }],
    ['a negative one', '[-9007199254740993]', { written: '-9007199254740993', read: '-9007199254740992', printed: '-9007199254740992' }],
    ['one past any double', `[${'9'.repeat(400)}]`, { written: '9'.repeat(400), read: 'Infinity', printed: 'Infinity' }],
  ])('finds %s', (_name, text, changed) => {
    expect(firstChangedInteger(text)).toEqual(changed);
  });

  it.each([
    ['2^53 − 1', '[9007199254740991]'],
    ['powers of two past 2^53, which a double holds exactly', '[9007199254740992, 18014398509481984, 10000000000000000000]'],
    ['digits in a string', '{"n":"12345678901234567891"}'],
    ['a string with an escaped quote before digits', '{"n":"a\\"12345678901234567891"}'],
    ['floating point, approximate by design', '[0.12345678901234567891, 1.2345678901234567891e5]'],
  ])('finds nothing in %s', (_name, text) => {
    expect(firstChangedInteger(text)).toBeNull();
  });
});
