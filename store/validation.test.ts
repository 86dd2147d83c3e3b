import { describe, expect, it } from 'vitest';
import { StoreUsageError } from './types.ts';
import { checkQuery, prefixUpperBound, serialiseData } from './validation.ts';

/** Whether `id` falls in the range [prefix, upper bound), the way the SQLite store scans it. */
function inRange(prefix: string, id: string): boolean {
  const upper = prefixUpperBound(prefix);
  const bytes = (text: string) => Buffer.from(text, 'utf8');
  return (
    Buffer.compare(bytes(id), bytes(prefix)) >= 0 &&
    (upper === undefined || Buffer.compare(bytes(id), bytes(upper)) < 0)
  );
}

describe('prefixUpperBound', () => {
  it('increments the last code point', () => {
    expect(prefixUpperBound('vm-')).toBe('vm.');
    expect(prefixUpperBound('서울')).toBe('서욹');
    expect(prefixUpperBound('a🚀')).toBe('a🚁');
  });

  it('skips the surrogate block and carries past U+10FFFF', () => {
    expect(prefixUpperBound('a\uD7FF')).toBe('a\uE000');
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('\u{10FFFF}\u{10FFFF}')).toBeUndefined();
  });

  it('bounds exactly the strings that start with the prefix, in UTF-8 byte order', () => {
    const prefixes = ['vm-', 'a\uFFFF', 'a\u{10FFFF}', '서울', 'z🚀'];
    const ids = [
      'vm-',
      'vm-1',
      'vm.',
      'vm',
      'a\uFFFF',
      'a\uFFFF\u{10FFFF}',
      'a\u{10000}',
      'a\u{10FFFF}x',
      'b',
      '서울시',
      '서욹',
      'z🚀🚀',
      'z🚁',
    ];
    for (const prefix of prefixes) {
      for (const id of ids) expect(inRange(prefix, id), `${prefix} / ${id}`).toBe(id.startsWith(prefix));
    }
  });
});

describe('checkQuery and serialiseData', () => {
  it('refuses field names with a double quote, which a JSON path cannot hold', () => {
    expect(() => checkQuery({ namespace: 'n', kind: 'k', where: { 'a"b': 1 } })).toThrow(StoreUsageError);
    expect(() => checkQuery({ namespace: 'n', kind: 'k', where: { '': 1 } })).toThrow(StoreUsageError);
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => serialiseData(undefined)).toThrow(StoreUsageError);
    expect(() => serialiseData(() => 1)).toThrow(StoreUsageError);
    expect(() => serialiseData({ n: 1n })).toThrow(/not JSON-serialisable/);
    expect(serialiseData({ skipped: undefined, kept: 1 })).toBe('{"kept":1}');
  });
});
