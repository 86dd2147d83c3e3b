/** "$1.44" with enough digits for small prices ("$0.0116"). */
export function formatUsd(value: number | null | undefined, digits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const places = digits ?? (Math.abs(value) < 1 ? 4 : 2);
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places })}`;
}

/** One line of JSON for a tool card, cut at `limit` characters. */
export function compactJson(value: unknown, limit = 120): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** CSS class for a node or MCI status ("Running", "Partial-Running", "Running:3 (R:3/3)"). */
export function statusClass(status: string | undefined): string {
  const word = (status ?? '').toLowerCase();
  if (word.startsWith('partial')) return 'status-partial';
  const first = /^[a-z]+/.exec(word)?.[0] ?? 'unknown';
  return `status-${first}`;
}
