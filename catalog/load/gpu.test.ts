import { describe, expect, it } from 'vitest';
import { makeGpu, normalizeGpuModel } from './gpu.ts';

describe('normalizeGpuModel', () => {
  it.each([
    ['NVIDIA A100', undefined, 'A100'],
    ['A100', 80, 'A100-80GB'],
    ['NVIDIA A100', 40, 'A100'],
    ['A100-80GB', undefined, 'A100-80GB'],
    ['V100', 32, 'V100-32GB'],
    ['NVIDIA V100', 16, 'V100'],
    ['H100-MEGA', undefined, 'H100'],
    ['GRID K520', undefined, 'K520'],
    ['NVIDIA T4', undefined, 'T4'],
    ['A10G', undefined, 'A10G'],
    ['Inferentia2', undefined, 'Inferentia2'],
  ])('normalises %s (%s GiB per GPU) to %s', (raw, memory, expected) => {
    expect(normalizeGpuModel(raw, memory)).toBe(expected);
  });
});

describe('makeGpu', () => {
  it('derives memory from the model when the source has none', () => {
    expect(makeGpu({ model: 'T4', count: 4 })).toEqual({
      model: 'T4',
      count: 4,
      memoryGiB: 64,
      manufacturer: 'NVIDIA',
    });
  });

  it('keeps fractional GPUs and their share of memory', () => {
    expect(makeGpu({ model: 'A10', count: 0.5 })).toMatchObject({ count: 0.5, memoryGiB: 12 });
  });

  it('replaces a per-GPU memory that cannot be right for a one-size model (NHN: 32 GB for one T4)', () => {
    expect(makeGpu({ model: 'NVIDIA T4', count: 1, totalMemoryGiB: 32 }).memoryGiB).toBe(16);
  });

  it('keeps the source memory when it fits, and names AMD parts', () => {
    expect(makeGpu({ model: 'L4', count: 1, totalMemoryGiB: 22.352 }).memoryGiB).toBe(22.352);
    expect(makeGpu({ model: 'MI300X', count: 8 })).toMatchObject({ manufacturer: 'AMD', memoryGiB: 1536 });
  });

  it('leaves memory and manufacturer null for parts it does not know', () => {
    expect(makeGpu({ model: 'Virtex UltraScale (VU9P)', count: 1 })).toMatchObject({
      memoryGiB: null,
      manufacturer: null,
    });
  });
});
