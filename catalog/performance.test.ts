import { describe, expect, it } from 'vitest';
import type { ProviderId } from '../drivers/spec/index.ts';
import { loadSpecs } from './load/index.ts';
import { cpuGeneration, performanceScore } from './performance.ts';
import type { Spec } from './types.ts';

function spec(
  provider: ProviderId,
  name: string,
  vcpu: number,
  gpu?: { model: string; count: number },
): Spec {
  return {
    id: `${provider}+r+${name}`,
    provider,
    region: 'r',
    name,
    vcpu,
    memoryGiB: vcpu * 4,
    arch: 'x86_64',
    gpu: gpu === undefined ? null : { ...gpu, memoryGiB: null, manufacturer: null },
    pricePerHour: null,
    spotPricePerHour: null,
    currency: 'USD',
    source: 'test',
    fetchedAt: '2026-01-01',
  };
}

const score = (s: Spec) => performanceScore(s);

describe('performanceScore', () => {
  const specs = loadSpecs();
  const find = (id: string) => {
    const found = specs.find((s) => s.id === id);
    if (found === undefined) throw new Error(`no spec ${id}`);
    return found;
  };

  it('orders H100×8 > A100×8 > T4×1 > c7i.large on the real catalog', () => {
    const h100 = find('aws+us-east-1+p5.48xlarge');
    const a100 = find('aws+us-east-1+p4d.24xlarge');
    const t4 = find('aws+us-east-1+g4dn.xlarge');
    const c7i = find('aws+us-east-1+c7i.large');
    expect(h100.gpu).toMatchObject({ model: 'H100', count: 8 });
    expect(a100.gpu).toMatchObject({ model: 'A100', count: 8 });
    expect(t4.gpu).toMatchObject({ model: 'T4', count: 1 });
    expect(score(h100)).toBeGreaterThan(score(a100));
    expect(score(a100)).toBeGreaterThan(score(t4));
    expect(score(t4)).toBeGreaterThan(score(c7i));
    expect(score(c7i)).toBeGreaterThan(0);
  });

  it('orders GPU generations and counts', () => {
    expect(score(spec('gcp', 'a4-highgpu-8g', 224, { model: 'B200', count: 8 }))).toBeGreaterThan(
      score(spec('gcp', 'a3-highgpu-8g', 208, { model: 'H100', count: 8 })),
    );
    expect(
      score(spec('azure', 'Standard_NC24ads_A100_v4', 24, { model: 'A100-80GB', count: 1 })),
    ).toBeGreaterThan(score(spec('azure', 'Standard_NC6s_v3', 6, { model: 'V100', count: 1 })));
    expect(score(spec('aws', 'g5.12xlarge', 48, { model: 'A10G', count: 4 }))).toBeGreaterThan(
      score(spec('aws', 'g5.2xlarge', 8, { model: 'A10G', count: 1 })),
    );
    // A GPU partition counts its share.
    expect(score(spec('azure', 'Standard_NV4as_v4', 4, { model: 'MI25', count: 0.125 }))).toBeLessThan(
      score(spec('azure', 'Standard_NV32as_v4', 32, { model: 'MI25', count: 1 })),
    );
    // Any spelling of a known model works; an FPGA adds nothing to its host's CPUs.
    expect(score(spec('aws', 'x.large', 2, { model: 'NVIDIA A100', count: 1 }))).toBeGreaterThan(300);
    expect(score(spec('aws', 'f1.2xlarge', 8, { model: 'Virtex UltraScale (VU9P)', count: 1 }))).toBe(
      score(spec('aws', 'f1.2xlarge', 8)),
    );
  });

  it.each<[string, Spec, Spec]>([
    ['AWS c7i > m5', spec('aws', 'c7i.large', 2), spec('aws', 'm5.large', 2)],
    ['AWS m7g > m6g', spec('aws', 'm7g.large', 2), spec('aws', 'm6g.large', 2)],
    ['AWS m6i > m4', spec('aws', 'm6i.xlarge', 4), spec('aws', 'm4.xlarge', 4)],
    ['AWS m8g > m7i', spec('aws', 'm8g.xlarge', 4), spec('aws', 'm7i.xlarge', 4)],
    ['AWS m5 > t3 (burstable)', spec('aws', 'm5.large', 2), spec('aws', 't3.large', 2)],
    ['Azure v5 > v3', spec('azure', 'Standard_D2s_v5', 2), spec('azure', 'Standard_D2s_v3', 2)],
    ['Azure v6 > v5', spec('azure', 'Standard_D4as_v6', 4), spec('azure', 'Standard_D4as_v5', 4)],
    ['Azure v3 > v2 promo', spec('azure', 'Standard_D2s_v3', 2), spec('azure', 'Standard_DS2_v2_Promo', 2)],
    ['Azure D > B (burstable)', spec('azure', 'Standard_D2s_v5', 2), spec('azure', 'Standard_B2s_v2', 2)],
    ['GCP c3 > n1', spec('gcp', 'c3-standard-4', 4), spec('gcp', 'n1-standard-4', 4)],
    ['GCP n2 > n1', spec('gcp', 'n2-standard-4', 4), spec('gcp', 'n1-standard-4', 4)],
    ['GCP c4 > n2', spec('gcp', 'c4-standard-4', 4), spec('gcp', 'n2-standard-4', 4)],
    [
      'GCP e2-standard-2 > e2-medium (shared core)',
      spec('gcp', 'e2-standard-2', 2),
      spec('gcp', 'e2-medium', 2),
    ],
    ['Alibaba g7 > g5', spec('alibaba', 'ecs.g7.large', 2), spec('alibaba', 'ecs.g5.large', 2)],
    ['Tencent S6 > S5', spec('tencent', 'S6.MEDIUM4', 2), spec('tencent', 'S5.MEDIUM4', 2)],
    ['IBM bx3d > bx2', spec('ibm', 'bx3d-2x10', 2), spec('ibm', 'bx2-2x8', 2)],
    ['NCP g3 > G2', spec('ncp', 's2-g3', 2), spec('ncp', 'SVR.VSVR.HICPU.C002.M004.NET.SSD.B050.G002', 2)],
  ])('newer generation wins at equal vCPU: %s', (_name, newer, older) => {
    expect(newer.vcpu).toBe(older.vcpu);
    expect(score(newer)).toBeGreaterThan(score(older));
  });

  it('counts more vCPUs of one family higher', () => {
    expect(score(spec('aws', 'm5.2xlarge', 8))).toBeGreaterThan(score(spec('aws', 'm5.large', 2)));
  });

  it('reads a generation from the names of nearly all specs, and scores every spec', () => {
    let known = 0;
    const bad: string[] = [];
    for (const s of specs) {
      const value = score(s);
      if (!(Number.isFinite(value) && value > 0)) bad.push(s.id);
      if (cpuGeneration(s).known) known++;
    }
    expect(bad).toEqual([]);
    expect(known / specs.length).toBeGreaterThan(0.99);
  });
});
