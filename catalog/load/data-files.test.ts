import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { dataFileUrl, parseCsv, readDataText } from './data-files.ts';

function csvFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return csvFiles(path);
    return name.endsWith('.csv') ? [path] : [];
  });
}

const dataRoot = fileURLToPath(dataFileUrl(''));

describe('parseCsv', () => {
  it.each([
    [
      'a,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'a,b\n"x, y","say ""hi"""\n',
      [
        ['a', 'b'],
        ['x, y', 'say "hi"'],
      ],
    ],
    ['a\n"two\nlines"\nlast', [['a'], ['two\nlines'], ['last']]],
    [
      'a,b\n\n1,2,3\n',
      [
        ['a', 'b'],
        ['1', '2', '3'],
      ],
    ],
  ])('parses %j', (text, expected) => {
    expect(parseCsv(text)).toEqual(expected);
  });

  it.each(csvFiles(dataRoot).map((path) => [path.slice(dataRoot.length)]))(
    'agrees with csv-parse on %s',
    (relativePath) => {
      const text = readDataText(relativePath);
      const reference = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true });
      expect(parseCsv(text)).toEqual(reference);
    },
  );
});
