import { describe, expect, it } from 'vitest';
import { gcpN1GpuName, N1_GPU_LIMITS, n1GpuAllowed, parseGcpN1GpuName } from './gcp-n1-gpu.ts';

describe('GCP N1 + GPU names', () => {
  it.each([
    ['n1-standard-8', 'T4', 1, 'n1-standard-8-t4x1', 'nvidia-tesla-t4'],
    ['n1-highmem-96', 'V100', 8, 'n1-highmem-96-v100x8', 'nvidia-tesla-v100'],
    ['n1-highcpu-16', 'P100', 2, 'n1-highcpu-16-p100x2', 'nvidia-tesla-p100'],
    ['n1-standard-1', 'P4', 4, 'n1-standard-1-p4x4', 'nvidia-tesla-p4'],
  ] as const)('%s with %s x%d is %s and splits back', (machineType, model, count, name, acceleratorType) => {
    expect(gcpN1GpuName(machineType, model, count)).toBe(name);
    expect(parseGcpN1GpuName(name)).toEqual({ machineType, model, acceleratorType, count });
    expect(name).not.toContain('+');
  });

  it.each(['n1-standard-8', 'a2-highgpu-1g', 'g2-standard-4', 'n1-megamem-96-t4x1', 'n1-standard-8-a100x1'])(
    'does not read %s as an N1 + GPU name',
    (name) => {
      expect(parseGcpN1GpuName(name)).toBeUndefined();
    },
  );
});

describe('N1 GPU limits', () => {
  it.each([
    ['T4', 1, 48, 312, true],
    ['T4', 1, 64, 240, false],
    ['T4', 4, 96, 624, true],
    ['T4', 8, 8, 30, false],
    ['V100', 1, 12, 78, true],
    ['V100', 1, 16, 60, false],
    ['V100', 8, 96, 624, true],
    ['P4', 1, 24, 156, true],
    ['P4', 1, 32, 28.8, false],
    ['P100', 4, 64, 57.6, true],
    ['P100', 4, 96, 624, true],
    ['P100', 4, 96, 625, false],
  ] as const)('%s x%d on %d vCPU / %d GiB: %s', (model, count, vcpu, memoryGiB, allowed) => {
    expect(n1GpuAllowed(model, count, { vcpu, memoryGiB }, 'us-central1-a')).toBe(allowed);
  });

  it('holds four P100s to 64 vCPUs and 208 GB in the zones Google names, not elsewhere', () => {
    const shape = { vcpu: 96, memoryGiB: 624 };
    expect(n1GpuAllowed('P100', 4, shape, 'us-east1-c')).toBe(false);
    expect(n1GpuAllowed('P100', 4, shape, 'europe-west1-b')).toBe(false);
    expect(n1GpuAllowed('P100', 4, { vcpu: 64, memoryGiB: 57.6 }, 'europe-west1-d')).toBe(true);
    expect(n1GpuAllowed('P100', 4, shape, 'us-central1-c')).toBe(true);
  });

  it('grows the ceiling with the GPU count', () => {
    for (const rules of Object.values(N1_GPU_LIMITS)) {
      const ordered = Object.entries(rules).sort(([left], [right]) => Number(left) - Number(right));
      for (let index = 1; index < ordered.length; index++) {
        const [, previous] = ordered[index - 1] ?? [];
        const [, current] = ordered[index] ?? [];
        expect(current?.maxVcpu).toBeGreaterThanOrEqual(previous?.maxVcpu ?? 0);
        expect(current?.maxMemoryGiB).toBeGreaterThanOrEqual(previous?.maxMemoryGiB ?? 0);
      }
    }
  });
});
