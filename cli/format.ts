/** Formats money the way people read prices: "$0.0416". Null is an unknown price. */
export function money(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined) return '-';
  return `$${value.toFixed(digits)}`;
}

/** A plain aligned table; the first row is the header unless `header: false`. */
export function formatTable(rows: string[][], options: { header?: boolean } = {}): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [index, cell] of row.entries()) widths[index] = Math.max(widths[index] ?? 0, cell.length);
  }
  const lines = rows.map((row) =>
    row
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  if (options.header !== false && lines.length > 1) {
    lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  }
  return lines.join('\n');
}
