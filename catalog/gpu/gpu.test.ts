import { describe, expect, it } from 'vitest';
import { normalizeGpuModel as loaderGpuModel } from '../load/gpu.ts';
import { loadSpecs } from '../load/index.ts';
import { catalogGpuModel, GPU_FACTS, normalizeGpuModel } from './index.ts';

describe('normalizeGpuModel', () => {
  it.each<[string, string, number]>([
    ['A100', 'A100', 40],
    ['a100', 'A100', 40],
    ['NVIDIA A100', 'A100', 40],
    ['A100 40GB', 'A100', 40],
    ['nvidia-tesla-a100', 'A100', 40],
    ['a100 80gb', 'A100-80GB', 80],
    ['A100 80G', 'A100-80GB', 80],
    ['A100-80GB', 'A100-80GB', 80],
    ['A100-SXM4-80GB', 'A100-80GB', 80],
    ['nvidia-a100-80gb', 'A100-80GB', 80],
    ['a100-80', 'A100-80GB', 80],
    ['엔비디아 A100', 'A100', 40],
    ['에이백', 'A100', 40],
    ['에이백 80기가', 'A100-80GB', 80],
    ['h100', 'H100', 80],
    ['H100 80GB', 'H100', 80],
    ['H100-MEGA', 'H100', 80],
    ['nvidia-h100-mega-80gb', 'H100', 80],
    ['H100 NVL', 'H100', 80],
    ['엔비디아 H100 80기가', 'H100', 80],
    ['에이치백', 'H100', 80],
    ['H200', 'H200', 141],
    ['nvidia-h200-141gb', 'H200', 141],
    ['B200', 'B200', 180],
    ['B300', 'B300', 288],
    ['GB200', 'GB200', 186],
    ['L4', 'L4', 24],
    ['nvidia-l4', 'L4', 24],
    ['L40S', 'L40S', 48],
    ['l40s', 'L40S', 48],
    ['L40', 'L40', 48],
    ['T4', 'T4', 16],
    ['Tesla T4', 'T4', 16],
    ['nvidia-tesla-t4', 'T4', 16],
    ['T4g', 'T4g', 16],
    ['V100', 'V100', 16],
    ['Tesla V100 16GB', 'V100', 16],
    ['V100-32GB', 'V100-32GB', 32],
    ['v100 32gb', 'V100-32GB', 32],
    ['V100-SXM2-32GB', 'V100-32GB', 32],
    ['A10G', 'A10G', 24],
    ['a10g', 'A10G', 24],
    ['A10', 'A10', 24],
    ['NVIDIA A10', 'A10', 24],
    ['P100', 'P100', 16],
    ['nvidia-tesla-p100', 'P100', 16],
    ['P4', 'P4', 8],
    ['nvidia-tesla-p4', 'P4', 8],
    ['K80', 'K80', 12],
    ['GRID K520', 'K520', 4],
    ['M60', 'M60', 8],
    ['Tesla M60', 'M60', 8],
    ['MI300X', 'MI300X', 192],
    ['AMD Instinct MI300X', 'MI300X', 192],
    ['mi300', 'MI300X', 192],
    ['MI25', 'MI25', 16],
    ['Radeon Pro V520', 'Radeon Pro V520', 8],
    ['RTX A6000', 'A6000', 48],
    ['A6000', 'A6000', 48],
    ['RTX6000', 'RTX6000', 24],
    ['Quadro RTX 6000', 'RTX6000', 24],
    ['RTX PRO 6000', 'RTX PRO Server 6000', 96],
    ['RTX PRO Server 6000', 'RTX PRO Server 6000', 96],
    ['RTX PRO 4500', 'RTX PRO 4500', 32],
    ['Inferentia', 'Inferentia', 8],
    ['inf1', 'Inferentia', 8],
    ['Inferentia2', 'Inferentia2', 32],
    ['AWS Inferentia 2', 'Inferentia2', 32],
    ['인퍼런시아2', 'Inferentia2', 32],
    ['Trainium', 'Trainium', 32],
    ['trn1', 'Trainium', 32],
    ['Trainium2', 'Trainium2', 96],
    ['Gaudi', 'Gaudi HL-205', 32],
    ['Gaudi HL-205', 'Gaudi HL-205', 32],
    ['Gaudi2', 'Gaudi2', 96],
    ['Gaudi 3', 'Gaudi3', 128],
    ['8x A100 80GB for fine tuning', 'A100-80GB', 80],
    ['H100으로 3대', 'H100', 80],
  ])('%s → %s (%d GiB)', (text, key, memoryGiB) => {
    const model = normalizeGpuModel(text);
    expect(model).toMatchObject({ key, memoryGiB });
    expect(model?.vendor).toBe(GPU_FACTS[key]?.vendor);
  });

  it.each([
    '',
    'GPU',
    'cheapest gpu',
    'RTX 4090',
    'RTX 6000 Ada',
    'TPU v5e',
    'p4d.24xlarge',
    'Virtex UltraScale (VU9P)',
  ])('%j names no known accelerator', (text) => {
    expect(normalizeGpuModel(text)).toBeUndefined();
  });
});

describe('GPU_FACTS', () => {
  it('has memory, a vendor and a throughput for every row, keyed by its own key', () => {
    for (const [key, facts] of Object.entries(GPU_FACTS)) {
      expect(facts.key).toBe(key);
      expect(facts.memoryGiB).toBeGreaterThan(0);
      expect(facts.tflops).toBeGreaterThan(0);
      expect(normalizeGpuModel(key)?.key, key).toBe(key);
    }
  });

  it('orders generations as expected', () => {
    const tflops = (key: string) => GPU_FACTS[key]?.tflops ?? 0;
    expect(tflops('B200')).toBeGreaterThan(tflops('H100'));
    expect(tflops('H100')).toBeGreaterThan(tflops('A100'));
    expect(tflops('A100')).toBeGreaterThan(tflops('V100'));
    expect(tflops('V100')).toBeGreaterThan(tflops('T4'));
    expect(tflops('T4')).toBeGreaterThan(tflops('K80'));
  });
});

describe('agreement with the loaders', () => {
  const specs = loadSpecs();
  const models = [...new Set(specs.flatMap((spec) => (spec.gpu === null ? [] : [spec.gpu.model])))].sort();
  const fpgas = models.filter((model) => /virtex/i.test(model));

  it('every accelerator model the catalog holds is a GPU_FACTS key (FPGAs aside)', () => {
    expect(models.length).toBeGreaterThan(20);
    for (const model of models) {
      if (fpgas.includes(model)) {
        expect(normalizeGpuModel(model)).toBeUndefined();
        continue;
      }
      expect(GPU_FACTS[model], model).toBeDefined();
      expect(normalizeGpuModel(model)?.key, model).toBe(model);
    }
  });

  it.each<[string, number | undefined]>([
    ['NVIDIA A100', undefined],
    ['A100', 80],
    ['NVIDIA A100', 40],
    ['A100-80GB', undefined],
    ['V100', 32],
    ['NVIDIA V100', 16],
    ['H100-MEGA', undefined],
    ['GRID K520', undefined],
    ['NVIDIA T4', undefined],
    ['A10G', undefined],
    ['Inferentia2', undefined],
    ['AMD MI300X', undefined],
    ['Virtex UltraScale (VU9P)', undefined],
  ])('catalogGpuModel(%j, %s) agrees with catalog/load/gpu.ts', (raw, memory) => {
    expect(catalogGpuModel(raw, memory)).toBe(loaderGpuModel(raw, memory));
  });
});
