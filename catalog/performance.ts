/**
 * A documented performance score for a spec: one number that orders CPU and GPU specs together.
 *
 * Unit: roughly TFLOPS of peak dense throughput.
 *
 * - GPUs and other accelerators: `GPU_FACTS[model].tflops × count` (dense FP16/BF16 on tensor or
 *   matrix units, FP32 for cards without them; see `catalog/gpu/facts.ts`). Fractional counts (Azure's
 *   GPU partitions) count their fraction. Unknown accelerators (FPGAs) add nothing.
 * - CPUs: `vCPU × 0.1 × generation factor × burstable factor`. 0.1 TFLOPS is the FP32 peak of one
 *   2017-generation vCPU: a hyperthread of a Skylake-SP core, 2 AVX-512 FMA units × 16 lanes × 2 FLOP
 *   ÷ 2 threads = 32 FLOP per cycle at ~3 GHz. The generation factor is 1.08^(year − 2017) for the
 *   year the family's CPU generation came out (per-core speed has grown ~8% a year): 0.68 for 2012,
 *   1.36 for 2021, 1.59 for 2023. Burstable and shared-core families (AWS t*, Azure B*, GCP
 *   e2-micro/small/medium, f1-micro, g1-small, Alibaba t5/t6) count half: their baseline is a fraction
 *   of a vCPU. An Arm vCPU (a whole core) counts like an x86 one (a hyperthread): no architecture factor.
 * - A GPU spec scores its GPUs plus its CPUs, so among equal GPUs the larger host wins.
 *
 * So 8 × H100 ≈ 7,900; 8 × A100 ≈ 2,500; one T4 ≈ 65; a 192-vCPU 2023 machine ≈ 31; c7i.large ≈ 0.3.
 * CPU scores are small next to GPU scores because, for the dense math this measures, they are.
 *
 * How the year is read from the name (unknown names count as 2017, factor 1):
 * - AWS `family.size`: the digit after the family letters is the generation (m5/c5/r5 2017, 6 2021,
 *   7 2023, 8 2025, 9 2026; 4 2015, 3 2013, 2 2012, 1 2008), with a table for families whose digit is
 *   not a generation (x1 2016, z1d 2018, i3 2017, p3 2017, g4dn 2019, inf2 2023, trn1 2022...).
 * - Azure `Standard_<family><size>…_v<N>`: v1 (no suffix) 2014, v2 2016, v3 2017, v4 2020, v5 2022,
 *   v6 2024, v7 2025; HB/HC 2019, HX 2022, M and L 2017 without a suffix.
 * - GCP `<family>-…`: a table per family (n1 2014, e2 2018, n2/c2 2019, n2d 2020, c2d/t2d/m3 2021,
 *   t2a 2022, c3/c3d/a3/g2 2023, n4/c4/c4a 2024, c4d/n4a/a4 2025...).
 * - Alibaba `ecs.<family><gen>`: 5 2017, 6 2019, 7 2021, 8 2023, 9 2025 (4 2016, 3 2015, 2 2014, 1 2012).
 * - Tencent `<family><gen>.`: S1…S8 2015…2023 (S5 2019, S6 2021); AMD SA1…SA5 2019…2023.
 * - IBM `bx2`/`gx2` 2019, `bx3d`/`gx3` 2023. NCP `…g1/g2/g3` and `….G1/G2`: 2016, 2018, 2021.
 *   NHN `c2.`, `m2.`: generation 1 2016, 2 2019, 3 2022, 4 2024. KT and OpenStack names carry no generation.
 */
import { gpuFacts } from './gpu/index.ts';
import type { Spec } from './types.ts';

/** FP32 peak TFLOPS of one 2017-generation vCPU (see above). */
export const CPU_TFLOPS_PER_VCPU = 0.1;
/** Per-core speed growth per year of CPU generation. */
export const CPU_YEARLY_GAIN = 1.08;
export const BASE_YEAR = 2017;
/** Burstable and shared-core families count this share of their vCPUs. */
export const BURSTABLE_FACTOR = 0.5;

export interface CpuGeneration {
  /** Year the family's CPU generation came out (BASE_YEAR when the name does not tell). */
  year: number;
  burstable: boolean;
  /** True when the year was read from the name, false for the default. */
  known: boolean;
}

const AWS_GENERATION_YEARS: Record<number, number> = {
  1: 2008,
  2: 2012,
  3: 2013,
  4: 2015,
  5: 2017,
  6: 2021,
  7: 2023,
  8: 2025,
  9: 2026,
};

/** AWS families whose digit is not a CPU generation, by the family name up to and including the digit. */
const AWS_FAMILY_YEARS: Record<string, number> = {
  a1: 2018,
  cc2: 2012,
  cr1: 2012,
  hs1: 2012,
  h1: 2017,
  d2: 2015,
  d3: 2021,
  i2: 2013,
  i3: 2017,
  i4: 2022,
  i7: 2025,
  i8: 2025,
  im4: 2021,
  is4: 2021,
  x1: 2016,
  x2: 2021,
  x8: 2025,
  z1: 2018,
  f1: 2016,
  f2: 2024,
  g2: 2013,
  g3: 2017,
  g4: 2019,
  g5: 2021,
  g6: 2024,
  g7: 2025,
  gr6: 2024,
  p2: 2016,
  p3: 2017,
  p4: 2020,
  p5: 2023,
  p6: 2025,
  inf1: 2019,
  inf2: 2023,
  trn1: 2022,
  trn2: 2024,
  dl1: 2021,
  dl2: 2023,
  vt1: 2021,
  hpc6: 2022,
  hpc7: 2023,
  t2: 2014,
  t3: 2018,
  t4: 2020,
  m1: 2008,
  m2: 2009,
  m3: 2014,
  r3: 2014,
  r4: 2016,
  u7: 2024,
};

const AZURE_VERSION_YEARS: Record<number, number> = {
  1: 2014,
  2: 2016,
  3: 2017,
  4: 2020,
  5: 2022,
  6: 2024,
  7: 2025,
};
const AZURE_V1_FAMILY_YEARS: Record<string, number> = { HB: 2019, HC: 2019, HX: 2022, M: 2017, L: 2017 };

const GCP_FAMILY_YEARS: Record<string, number> = {
  f1: 2013,
  g1: 2013,
  n1: 2014,
  m1: 2016,
  e2: 2018,
  n2: 2019,
  c2: 2019,
  m2: 2019,
  n2d: 2020,
  a2: 2020,
  c2d: 2021,
  t2d: 2021,
  m3: 2021,
  t2a: 2022,
  c3: 2023,
  c3d: 2023,
  a3: 2023,
  g2: 2023,
  h3: 2023,
  n4: 2024,
  c4: 2024,
  c4a: 2024,
  z3: 2024,
  c4d: 2025,
  n4a: 2025,
  n4d: 2025,
  a4: 2025,
  a4x: 2025,
  m4: 2025,
  g4: 2025,
};

const ALIBABA_GENERATION_YEARS: Record<number, number> = {
  1: 2012,
  2: 2014,
  3: 2015,
  4: 2016,
  5: 2017,
  6: 2019,
  7: 2021,
  8: 2023,
  9: 2025,
};
const TENCENT_INTEL_YEARS: Record<number, number> = {
  1: 2015,
  2: 2016,
  3: 2017,
  4: 2018,
  5: 2019,
  6: 2021,
  8: 2023,
};
const TENCENT_AMD_YEARS: Record<number, number> = { 1: 2019, 2: 2020, 3: 2021, 4: 2022, 5: 2023 };
const IBM_GENERATION_YEARS: Record<number, number> = { 2: 2019, 3: 2023 };
const NCP_GENERATION_YEARS: Record<number, number> = { 1: 2016, 2: 2018, 3: 2021 };
const NHN_GENERATION_YEARS: Record<number, number> = { 1: 2016, 2: 2019, 3: 2022, 4: 2024 };

const GCP_SHARED_CORE = new Set(['f1-micro', 'g1-small', 'e2-micro', 'e2-small', 'e2-medium']);

function generation(year: number | undefined, burstable = false): CpuGeneration {
  return year === undefined ? { year: BASE_YEAR, burstable, known: false } : { year, burstable, known: true };
}

function aws(name: string): CpuGeneration {
  const family = name.split('.')[0] ?? '';
  const match = /^([a-z]+?)(\d+)/.exec(family);
  if (match === null) return generation(undefined);
  const letters = match[1] ?? '';
  const digit = Number(match[2]);
  const burstable = letters === 't';
  return generation(AWS_FAMILY_YEARS[`${letters}${digit}`] ?? AWS_GENERATION_YEARS[digit], burstable);
}

function azure(name: string): CpuGeneration {
  const family = /^Standard_([A-Z]+)/.exec(name)?.[1] ?? '';
  const burstable = family === 'B';
  const version = /_v(\d+)(?:_|$)/.exec(name)?.[1];
  if (version === undefined)
    return generation(AZURE_V1_FAMILY_YEARS[family] ?? AZURE_VERSION_YEARS[1], burstable);
  return generation(AZURE_VERSION_YEARS[Number(version)], burstable);
}

function gcp(name: string): CpuGeneration {
  const family = name.split('-')[0] ?? '';
  return generation(GCP_FAMILY_YEARS[family], GCP_SHARED_CORE.has(name));
}

function alibaba(name: string): CpuGeneration {
  const match = /^ecs\.([a-z]+?)(\d+)/.exec(name);
  if (match === null) return generation(undefined);
  const letters = match[1] ?? '';
  return generation(ALIBABA_GENERATION_YEARS[Number(match[2])], letters === 't');
}

function tencent(name: string): CpuGeneration {
  const match = /^([A-Z]+?)(\d+)/.exec(name);
  if (match === null) return generation(undefined);
  const letters = match[1] ?? '';
  const table = letters.length > 1 && letters.endsWith('A') ? TENCENT_AMD_YEARS : TENCENT_INTEL_YEARS;
  return generation(table[Number(match[2])]);
}

function ibm(name: string): CpuGeneration {
  const digit = /^[a-z]+(\d)/.exec(name)?.[1];
  return generation(digit === undefined ? undefined : IBM_GENERATION_YEARS[Number(digit)]);
}

function ncp(name: string): CpuGeneration {
  const digit = /-g(\d)[a-z]?$/i.exec(name)?.[1] ?? /\.G0*(\d)$/.exec(name)?.[1];
  return generation(digit === undefined ? undefined : NCP_GENERATION_YEARS[Number(digit)]);
}

function nhn(name: string): CpuGeneration {
  const digit = /^[a-z]+(\d)\./.exec(name)?.[1];
  return generation(digit === undefined ? undefined : NHN_GENERATION_YEARS[Number(digit)]);
}

/** The CPU generation of a spec, read from its provider's naming scheme (see the file comment). */
export function cpuGeneration(spec: Pick<Spec, 'provider' | 'name'>): CpuGeneration {
  switch (spec.provider) {
    case 'aws':
      return aws(spec.name);
    case 'azure':
      return azure(spec.name);
    case 'gcp':
      return gcp(spec.name);
    case 'alibaba':
      return alibaba(spec.name);
    case 'tencent':
      return tencent(spec.name);
    case 'ibm':
      return ibm(spec.name);
    case 'ncp':
      return ncp(spec.name);
    case 'nhn':
      return nhn(spec.name);
    default:
      return generation(undefined);
  }
}

const cpuFactors = new Map<string, Map<string, number>>();

/** `CPU_YEARLY_GAIN^(year − 2017)`, halved for burstable families; memoised per provider and name. */
export function cpuFactor(spec: Pick<Spec, 'provider' | 'name'>): number {
  let byName = cpuFactors.get(spec.provider);
  if (byName === undefined) {
    byName = new Map();
    cpuFactors.set(spec.provider, byName);
  }
  let factor = byName.get(spec.name);
  if (factor === undefined) {
    const { year, burstable } = cpuGeneration(spec);
    factor = CPU_YEARLY_GAIN ** (year - BASE_YEAR) * (burstable ? BURSTABLE_FACTOR : 1);
    byName.set(spec.name, factor);
  }
  return factor;
}

/** The spec's performance score (see the file comment): GPU TFLOPS × count plus weighted vCPUs. */
export function performanceScore(spec: Spec): number {
  const cpu = spec.vcpu * CPU_TFLOPS_PER_VCPU * cpuFactor(spec);
  if (spec.gpu === null) return cpu;
  const tflops = gpuFacts(spec.gpu.model)?.tflops ?? 0;
  return tflops * spec.gpu.count + cpu;
}
