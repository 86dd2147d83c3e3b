// Small formatters and fetch helpers shared by the dashboard, MCI and catalog pages.
import type { ApiErrorBody } from '../../../web/dashboard-types.ts';

/** "$1.44" with enough digits for small prices ("$0.0116"); "—" when unknown. */
export function formatUsd(value: number | null | undefined, digits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const places = digits ?? (Math.abs(value) < 1 ? 4 : 2);
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places })}`;
}

/** The status-* class of globals.css for a node or MCI status ("Running:3 (R:3/3)", "Partial-…"). */
export function statusClass(status: string | undefined): string {
  const word = (status ?? '').toLowerCase();
  if (word.startsWith('partial')) return 'status-partial';
  return `status-${/^[a-z]+/.exec(word)?.[0] ?? 'unknown'}`;
}

/** "7.5 GiB", "1.8 GiB": catalogs list odd fractions (1.7998046875). */
export function formatGiB(value: number): string {
  return `${value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 2 : 1 })} GiB`;
}

/** A local date and time, short. */
export function formatTime(iso: string, language: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(language === 'ko' ? 'ko-KR' : 'en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** An API error as the page shows it. */
export interface PageError {
  message: string;
  next?: string;
}

/** The {error} body of a failed API answer, or a generic one when it is not ours. */
export async function errorOf(response: Response): Promise<PageError> {
  try {
    const body = (await response.json()) as Partial<ApiErrorBody>;
    if (body.error?.message) return { message: body.error.message, next: body.error.next };
  } catch {
    // not JSON: the status below
  }
  return { message: `${response.status} ${response.statusText}` };
}

/** Only http(s) URLs become links: an endpoint value could be anything an app reported. */
export function isWebUrl(value: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(value);
}
