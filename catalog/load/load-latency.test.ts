import { describe, expect, it } from 'vitest';
import { loadLatency, regionIdFromLatencyLabel } from './load-latency.ts';
import { loadRegions, regionCodesByProvider } from './load-regions.ts';

const rows = loadLatency();

describe('loadLatency', () => {
  it('maps every row to region ids that loadRegions() returns', () => {
    const regionIds = new Set(loadRegions().map((region) => region.id));
    expect(rows.filter((row) => !regionIds.has(row.from) || !regionIds.has(row.to))).toEqual([]);
  });

  it('keeps thousands of measured pairs with plausible round-trip times', () => {
    expect(rows.length).toBeGreaterThan(5_000);
    expect(rows.filter((row) => !(row.rttMs >= 0 && row.rttMs < 1_000))).toEqual([]);
  });

  it('knows Seoul to Tokyo on AWS is a short hop', () => {
    const row = rows.find((item) => item.from === 'aws+ap-northeast-2' && item.to === 'aws+ap-northeast-1');
    expect(row?.rttMs).toBeGreaterThan(10);
    expect(row?.rttMs).toBeLessThan(60);
  });

  it.each([
    ['aws-ap-northeast-2', 'aws+ap-northeast-2'],
    ['gcp-asia-east1', 'gcp+asia-east1'],
    ['alibaba-ap-south-1', undefined], // disabled in cloudinfo.yaml
    ['tencent-ap-mumbai', undefined], // disabled in cloudinfo.yaml
    ['oracle-x', undefined],
  ])('maps the label %s to %s', (label, id) => {
    expect(regionIdFromLatencyLabel(label, regionCodesByProvider())).toBe(id);
  });
});
