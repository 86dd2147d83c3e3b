import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefreshProgress } from '../catalog/refresh/index.ts';
import { RefreshProgressView } from './catalog.ts';
import { runCli } from './testing/run-cli.ts';

let home: string;

function s2a(...args: string[]) {
  return runCli(home, args);
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 's2a-cli-catalog-'));
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('s2a catalog', () => {
  // The first command builds the catalog index under the temporary S2A_HOME.
  it('refresh --provider ncp --json upserts NCP through the sim and prints a summary', {
    timeout: 300_000,
  }, () => {
    const { code, stdout, stderr } = s2a('catalog', 'refresh', '--provider', 'ncp', '--json');
    // LanceDB's own log notes the tables it creates on that build; nothing else may appear.
    expect(stderr.split('\n').filter((line) => line !== '' && !/ WARN {2}lance::/.test(line))).toEqual([]);
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({
      ok: true,
      specs: 123,
      images: 3,
      providers: [
        { provider: 'ncp', ok: true, driver: 'sim', regions: 3, specs: 123, images: 3, invalid: 0 },
      ],
    });
    expect(Date.parse(summary.providers[0].refreshedAt)).not.toBeNaN();
  });

  it('status shows the refresh time and rows per provider, and "never" for the others', {
    timeout: 120_000,
  }, () => {
    const { code, stdout, stderr } = s2a('catalog', 'status', '--json');
    expect(code, stderr).toBe(0);
    const rows = JSON.parse(stdout) as {
      provider: string;
      refreshedAt: string | null;
      ageHours: number | null;
      refreshedSpecs: number | null;
      indexedSpecs: number;
      shippedSpecs: number;
    }[];
    const ncp = rows.find((row) => row.provider === 'ncp');
    expect(ncp).toMatchObject({ refreshedSpecs: 123, shippedSpecs: 123 });
    expect(ncp?.refreshedAt).not.toBeNull();
    expect(ncp?.ageHours).toBeGreaterThanOrEqual(0);
    expect(ncp?.indexedSpecs).toBeGreaterThanOrEqual(123);
    expect(rows.find((row) => row.provider === 'aws')).toMatchObject({ refreshedAt: null, ageHours: null });
    expect(rows).toHaveLength(10);
  });

  it('prints plain progress lines when stdout is not a terminal', { timeout: 120_000 }, () => {
    const { code, stdout, stderr } = s2a('catalog', 'refresh', '--provider', 'kt');
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('kt        1 regions to refresh');
    expect(stdout).toContain('kt        done: 1 regions, 33 specs, 3 images');
    expect(stdout).toContain('Refreshed 1 of 1 providers');
    expect(stdout).not.toContain('\r');
  });

  it.each([
    [['catalog'], /catalog needs an action/],
    [['catalog', 'refresh', '--provider', 'oracle'], /--provider must be one of/],
  ])('answers %j with what to do next', (args, message) => {
    const { code, stderr } = s2a(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe('RefreshProgressView', () => {
  const event = (
    phase: RefreshProgress['phase'],
    regionsDone: number,
    extra: Partial<RefreshProgress> = {},
  ) =>
    ({
      provider: 'aws',
      phase,
      regionsDone,
      regionsTotal: 4,
      specs: regionsDone * 100,
      images: regionsDone,
      providerIndex: 1,
      providersTotal: 1,
      ...extra,
    }) as RefreshProgress;

  it('redraws one line with a bar on a terminal, and ends it when the provider is done', () => {
    let output = '';
    const view = new RefreshProgressView(true, (text) => {
      output += text;
    });
    view.update(event('started', 0));
    view.update(event('region', 2, { region: 'us-east-1' }));
    view.update(
      event('retry', 2, { retry: { operation: 'listSpecs', attempt: 1, waitMs: 1500, code: 'THROTTLED' } }),
    );
    view.update(event('done', 4));
    const frames = output.split('\r\x1b[2K').filter(Boolean);
    expect(frames[1]).toBe(`aws       [${'█'.repeat(12)}${'░'.repeat(12)}] 2/4 regions  200 specs, 2 images`);
    expect(frames[2]).toContain('(THROTTLED on listSpecs, retrying in 1.5 s)');
    expect(frames[3]).toBe('aws       ✓ done: 4 regions, 400 specs, 4 images\n');
    expect(output.split('\n')).toHaveLength(2);
  });

  it('writes one plain line per event otherwise, failures with their code', () => {
    const lines: string[] = [];
    const view = new RefreshProgressView(false, (text) => lines.push(text));
    view.update(event('started', 0));
    view.update(event('failed', 1, { error: { code: 'AUTH', message: 'bad key' } }));
    expect(lines).toEqual([
      'aws       4 regions to refresh\n',
      'aws       failed after 1/4 regions: AUTH: bad key\n',
    ]);
  });
});
