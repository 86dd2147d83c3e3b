import { readFileSync } from 'node:fs';
import { parse as parseYamlText } from 'yaml';

// Every loader reads from catalog/data, which ships with the repository (see catalog/data/README.md).
const DATA_ROOT = new URL('../data/', import.meta.url);

export function dataFileUrl(relativePath: string): URL {
  return new URL(relativePath, DATA_ROOT);
}

export function readDataText(relativePath: string): string {
  return readFileSync(dataFileUrl(relativePath), 'utf8');
}

export function readDataYaml(relativePath: string): unknown {
  return parseYamlText(readDataText(relativePath));
}

export function readDataJson(relativePath: string): unknown {
  return JSON.parse(readDataText(relativePath));
}

/** A parsed CSV file: the header row and the data rows, both as arrays of cells. */
export interface CsvTable {
  header: string[];
  rows: string[][];
  /** Index of a header column; throws when absent so a changed file fails loudly. */
  column(name: string): number;
}

/**
 * Parses RFC 4180 CSV text (quoted cells, doubled quotes, CRLF or LF) into rows of cells, skipping
 * empty lines. Rows may have different lengths: the Azure vms.csv writes "V1,V2" unquoted in its
 * last column, and the latency map is padded with empty cells. csv-parse handles this too, but with
 * relax_column_count it spends seconds on the Azure file (it builds an error object per odd row);
 * a test checks that both agree on every shipped CSV.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  eachCsvRecord(text, text.charCodeAt(0) === 0xfeff ? 1 : 0, (row) => {
    rows.push(row);
    return true;
  });
  return rows;
}

/**
 * Calls `visit` with each record from `start` on while it returns true; returns the position after
 * the last record read.
 */
function eachCsvRecord(text: string, start: number, visit: (row: string[]) => boolean): number {
  let position = start;
  while (position < text.length) {
    let lineEnd = text.indexOf('\n', position);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(position, lineEnd);
    let row: string[] | undefined;
    if (line.includes('"')) {
      // Quoted cells may hold commas and newlines: read this record character by character.
      [row, position] = parseQuotedRecord(text, position);
    } else {
      const content = line.endsWith('\r') ? line.slice(0, -1) : line;
      position = lineEnd + 1;
      if (content !== '') row = content.split(',');
    }
    if (row && !visit(row)) break;
  }
  return position;
}

/** Reads one record starting at `start`; returns its cells and the position after its line end. */
function parseQuotedRecord(text: string, start: number): [string[], number] {
  const row: string[] = [];
  let value = '';
  let quoted = false;
  let index = start;
  for (; index < text.length; index++) {
    const character = text[index];
    if (quoted) {
      if (character !== '"') value += character;
      else if (text[index + 1] === '"') {
        value += '"';
        index++;
      } else quoted = false;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      row.push(value);
      value = '';
    } else if (character === '\n') break;
    else if (character !== '\r') value += character;
  }
  row.push(value);
  return [row, index + 1];
}

export function readDataCsv(relativePath: string): CsvTable {
  const [header, ...rows] = parseCsv(readDataText(relativePath));
  if (!header) throw new Error(`${relativePath} is empty`);
  return { header, rows, column: columnFinder(relativePath, header) };
}

/** A CSV file read one row at a time, for the large catalogs. */
export interface CsvStream {
  header: string[];
  column(name: string): number;
  /** Parses the file again on each call; rows are not kept, which spares the garbage collector. */
  forEachRow(visit: (row: string[]) => void): void;
}

export function streamDataCsv(relativePath: string): CsvStream {
  const text = readDataText(relativePath);
  let header: string[] | undefined;
  const bodyStart = eachCsvRecord(text, text.charCodeAt(0) === 0xfeff ? 1 : 0, (row) => {
    header = row;
    return false;
  });
  if (!header) throw new Error(`${relativePath} is empty`);
  return {
    header,
    column: columnFinder(relativePath, header),
    forEachRow(visit: (row: string[]) => void): void {
      eachCsvRecord(text, bodyStart, (row) => {
        visit(row);
        return true;
      });
    },
  };
}

function columnFinder(relativePath: string, header: readonly string[]): (name: string) => number {
  return (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`${relativePath} has no column "${name}"`);
    return index;
  };
}

/** Cell text, trimmed; empty string for a missing cell. */
export function cell(row: readonly string[], index: number): string {
  return (row[index] ?? '').trim();
}

/** A finite number from a cell, or null when the cell is empty or not a number. */
export function numberCell(row: readonly string[], index: number): number | null {
  const text = row[index];
  if (text === undefined || text === '') return null;
  const value = Number(text);
  // Number(' ') is 0: a blank cell is no number.
  if (!Number.isFinite(value) || (value === 0 && text.trim() === '')) return null;
  return value;
}
