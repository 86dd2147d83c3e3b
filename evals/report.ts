/**
 * Turns run results into the report: per scenario (passes of k, pass^k, median latency, tool calls,
 * simulated dollars, failed checks with expected and found) and overall (pass rate, pass^k, by
 * language and tag); printed as a table and written as JSON and Markdown.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult } from './checks.ts';
import type { ScenarioRunResult } from './runner.ts';

export interface ScenarioSummary {
  id: string;
  lang: string;
  tags: string[];
  file: string;
  runs: number;
  passes: number;
  /** Every one of the k runs passed. */
  passAllK: boolean;
  medianMilliseconds: number;
  medianToolCalls: number;
  dollars: number;
  /** Failed checks of the failing runs, each once (by key, expected and found). */
  failures: (CheckResult & { attempt: number })[];
  errors: string[];
}

export interface Report {
  startedAt: string;
  finishedAt: string;
  planner: string;
  k: number;
  scenarios: number;
  runs: number;
  /** Passed runs / runs. */
  passRate: number;
  /** Scenarios whose k runs all passed / scenarios. */
  passHatK: number;
  medianMilliseconds: number;
  totalToolCalls: number;
  dollars: number;
  wallSeconds: number;
  byLanguage: Record<string, { scenarios: number; passRate: number }>;
  byTag: Record<string, { scenarios: number; passRate: number }>;
  summaries: ScenarioSummary[];
  results: ScenarioRunResult[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function summarize(runs: readonly ScenarioRunResult[]): ScenarioSummary {
  const first = runs[0] as ScenarioRunResult;
  const failures: ScenarioSummary['failures'] = [];
  const seen = new Set<string>();
  for (const run of runs)
    for (const check of run.checks) {
      if (check.pass) continue;
      const key = `${check.key}|${check.expected}|${check.found}`;
      if (seen.has(key)) continue;
      seen.add(key);
      failures.push({ ...check, attempt: run.attempt });
    }
  return {
    id: first.id,
    lang: first.lang,
    tags: first.tags,
    file: first.file,
    runs: runs.length,
    passes: runs.filter((run) => run.pass).length,
    passAllK: runs.every((run) => run.pass),
    medianMilliseconds: median(runs.map((run) => run.milliseconds)),
    medianToolCalls: median(runs.map((run) => run.toolCalls)),
    dollars: runs.reduce((sum, run) => sum + run.dollars, 0),
    failures,
    errors: [...new Set(runs.flatMap((run) => (run.error ? [run.error] : [])))],
  };
}

function rate(summaries: readonly ScenarioSummary[]): number {
  const runs = summaries.reduce((sum, summary) => sum + summary.runs, 0);
  return runs === 0 ? 0 : summaries.reduce((sum, summary) => sum + summary.passes, 0) / runs;
}

export function buildReport(
  results: readonly ScenarioRunResult[],
  meta: { planner: string; k: number; startedAt: Date; finishedAt: Date },
): Report {
  const byId = new Map<string, ScenarioRunResult[]>();
  for (const result of results) byId.set(result.id, [...(byId.get(result.id) ?? []), result]);
  const summaries = [...byId.values()].map(summarize);
  const group = (keyOf: (summary: ScenarioSummary) => string[]) => {
    const groups = new Map<string, ScenarioSummary[]>();
    for (const summary of summaries)
      for (const key of keyOf(summary)) groups.set(key, [...(groups.get(key) ?? []), summary]);
    return Object.fromEntries(
      [...groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, members]) => [key, { scenarios: members.length, passRate: rate(members) }]),
    );
  };
  return {
    startedAt: meta.startedAt.toISOString(),
    finishedAt: meta.finishedAt.toISOString(),
    planner: meta.planner,
    k: meta.k,
    scenarios: summaries.length,
    runs: results.length,
    passRate: rate(summaries),
    passHatK:
      summaries.length === 0 ? 0 : summaries.filter((summary) => summary.passAllK).length / summaries.length,
    medianMilliseconds: median(summaries.map((summary) => summary.medianMilliseconds)),
    totalToolCalls: results.reduce((sum, result) => sum + result.toolCalls, 0),
    dollars: results.reduce((sum, result) => sum + result.dollars, 0),
    wallSeconds: (meta.finishedAt.getTime() - meta.startedAt.getTime()) / 1000,
    byLanguage: group((summary) => [summary.lang]),
    byTag: group((summary) => summary.tags),
    summaries,
    results: [...results],
  };
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
}

function failedKeys(summary: ScenarioSummary): string {
  const keys = [...new Set(summary.failures.map((failure) => failure.key))];
  if (summary.errors.length > 0) keys.unshift('error');
  return keys.join(', ');
}

/** The table printed at the end of a run. */
export function formatTable(report: Report): string {
  const header = `${pad('scenario', 38)} ${pad('lang', 4)} ${pad('pass', 6)} ${pad('median s', 8)} ${pad('tools', 5)} failed`;
  const lines = [header, '-'.repeat(header.length + 20)];
  for (const summary of report.summaries) {
    lines.push(
      `${pad(summary.id, 38)} ${pad(summary.lang, 4)} ${pad(`${summary.passes}/${summary.runs}`, 6)} ${pad((summary.medianMilliseconds / 1000).toFixed(2), 8)} ${pad(String(summary.medianToolCalls), 5)} ${failedKeys(summary)}`,
    );
  }
  lines.push('');
  lines.push(
    `${report.scenarios} scenarios, ${report.runs} runs (k=${report.k}), planner ${report.planner}: pass rate ${percent(report.passRate)}, pass^${report.k} ${percent(report.passHatK)}`,
  );
  lines.push(
    `by language: ${Object.entries(report.byLanguage)
      .map(([lang, entry]) => `${lang} ${percent(entry.passRate)} of ${entry.scenarios}`)
      .join(
        ', ',
      )}; median latency ${(report.medianMilliseconds / 1000).toFixed(2)} s; ${report.totalToolCalls} tool calls; sim billed $${report.dollars.toFixed(6)}; wall ${report.wallSeconds.toFixed(0)} s`,
  );
  return lines.join('\n');
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function formatMarkdown(report: Report): string {
  const lines = [
    `# Eval report ${report.startedAt}`,
    '',
    `Planner **${report.planner}**, ${report.scenarios} scenarios, k = ${report.k} (${report.runs} runs), ${report.wallSeconds.toFixed(0)} s.`,
    '',
    `| measure | value |`,
    `| --- | --- |`,
    `| pass rate (runs) | ${percent(report.passRate)} |`,
    `| pass^${report.k} (scenarios whose ${report.k} runs all passed) | ${percent(report.passHatK)} |`,
    `| median latency per scenario | ${(report.medianMilliseconds / 1000).toFixed(2)} s |`,
    `| tool calls | ${report.totalToolCalls} |`,
    `| simulated dollars billed | $${report.dollars.toFixed(6)} |`,
    ...Object.entries(report.byLanguage).map(
      ([lang, entry]) => `| ${lang} | ${percent(entry.passRate)} of ${entry.scenarios} |`,
    ),
    '',
    '## By tag',
    '',
    '| tag | scenarios | pass rate |',
    '| --- | --- | --- |',
    ...Object.entries(report.byTag).map(
      ([tag, entry]) => `| ${tag} | ${entry.scenarios} | ${percent(entry.passRate)} |`,
    ),
    '',
    '## Scenarios',
    '',
    '| scenario | lang | pass | median s | tool calls | $ |',
    '| --- | --- | --- | --- | --- | --- |',
    ...report.summaries.map(
      (summary) =>
        `| ${summary.id} | ${summary.lang} | ${summary.passes}/${summary.runs} | ${(summary.medianMilliseconds / 1000).toFixed(2)} | ${summary.medianToolCalls} | ${summary.dollars.toFixed(6)} |`,
    ),
    '',
    '## Failures',
    '',
  ];
  const failing = report.summaries.filter((summary) => !summary.passAllK);
  if (failing.length === 0) lines.push('None.');
  for (const summary of failing) {
    lines.push(
      `### ${summary.id} (${summary.lang}, ${summary.passes}/${summary.runs}) — \`${summary.file}\``,
      '',
    );
    for (const error of summary.errors) lines.push(`- **error**: ${markdownCell(error)}`);
    if (summary.failures.length > 0) {
      lines.push('', '| check | expected | found |', '| --- | --- | --- |');
      for (const failure of summary.failures)
        lines.push(`| ${failure.key} | ${markdownCell(failure.expected)} | ${markdownCell(failure.found)} |`);
    }
    // The conversation of the first failing run: what the agent did, to see why.
    const run = report.results.find((result) => result.id === summary.id && !result.pass);
    if (run) {
      lines.push('', '<details><summary>conversation</summary>', '', '```');
      for (const exchange of run.exchanges) {
        const said = exchange.message === 'text' ? `"${exchange.say ?? ''}"` : `(${exchange.message})`;
        lines.push(`> ${said} ${exchange.milliseconds} ms`);
        for (const event of exchange.events) lines.push(`  ${event.replace(/\s+/g, ' ').slice(0, 300)}`);
      }
      lines.push('```', '', '</details>');
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `<directory>/<timestamp>.json` and `.md`; returns their paths. */
export async function writeReport(
  report: Report,
  directory: string,
): Promise<{ json: string; markdown: string }> {
  await mkdir(directory, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const json = join(directory, `${stamp}.json`);
  const markdown = join(directory, `${stamp}.md`);
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdown, formatMarkdown(report));
  return { json, markdown };
}
