import { describe, expect, it } from 'vitest';
import type { ProviderId } from '../../../drivers/spec/index.ts';
import { shapeFromName } from './shapes.ts';

describe('shapeFromName', () => {
  it.each<[ProviderId, string, number, number]>([
    ['alibaba', 'ecs.g6e.large', 2, 8],
    ['alibaba', 'ecs.g7.xlarge', 4, 16],
    ['alibaba', 'ecs.g5.3xlarge', 12, 48],
    ['alibaba', 'ecs.g7a.32xlarge', 128, 512],
    ['alibaba', 'ecs.g6.13xlarge', 52, 192],
    ['alibaba', 'ecs.sn2.3xlarge', 16, 64],
    ['alibaba', 'ecs.gn7i-c8g1.2xlarge', 8, 30],
    ['tencent', 'S3.SMALL2', 1, 2],
    ['tencent', 'S5.MEDIUM4', 2, 4],
    ['tencent', 'S5.LARGE8', 4, 8],
    ['tencent', 'S5.2XLARGE16', 8, 16],
    ['tencent', 'PNV4.7XLARGE116', 28, 116],
    ['ncp', 's2-g3', 2, 8],
    ['ncp', 's4-g3a', 4, 16],
    ['ncp', 'c8-g3', 8, 16],
    ['ncp', 'ci16-g3', 16, 32],
    ['ncp', 'm4-g3', 4, 32],
    ['ncp', 'mi1-g3', 1, 1],
    ['ncp', 'SVR.VSVR.HICPU.C004.M008.NET.SSD.B050.G002', 4, 8],
    ['nhn', 'm2.c4m8', 4, 8],
    ['nhn', 'g2.v100.c8m90', 8, 90],
    ['kt', '4x16.itl', 4, 16],
    ['kt', '8x64.itl.v100-1', 8, 64],
    ['kt', '16x90.gpu', 16, 90],
    ['ibm', 'bx2-2x8', 2, 8],
    ['ibm', 'gx2-8x64x1v100', 8, 64],
  ])('reads %s %s as %d vCPU / %d GiB', (provider, name, vcpu, memoryGiB) => {
    expect(shapeFromName(provider, name)).toMatchObject({ vcpu, memoryGiB });
  });

  it.each<[ProviderId, string]>([
    ['ncp', 'SPSVRSSD00000002'],
    ['alibaba', 'ecs.r7.large'],
    ['alibaba', 'ecs.gn7-c12g1.3xlarge'],
    ['tencent', 'S5.HUGE8'],
    ['aws', 't3.medium'],
  ])('refuses to guess %s %s', (provider, name) => {
    expect(shapeFromName(provider, name)).toBeUndefined();
  });

  it('corrects the GPU Alibaba documents for ecs.gn6v-c8g1.8xlarge (4 x V100, not A10)', () => {
    expect(shapeFromName('alibaba', 'ecs.gn6v-c8g1.8xlarge')?.gpu).toMatchObject({ model: 'V100', count: 4 });
  });
});
