import { GPU_FACTS, type GpuFacts } from './facts.ts';

export interface GpuModel {
  /** The catalog's model name (a `GPU_FACTS` key): "A100-80GB", "H100", "T4". */
  key: string;
  /** Memory per accelerator, GiB (from `GPU_FACTS`). */
  memoryGiB: number | null;
  vendor: string;
}

/** Korean spellings and readings, replaced before matching. */
const KOREAN: readonly [RegExp, string][] = [
  [/엔비디아|엔비디어/g, ' nvidia '],
  [/에이엠디/g, ' amd '],
  [/에이치\s*백/g, ' h100 '],
  [/에이\s*백/g, ' a100 '],
  [/브이\s*백/g, ' v100 '],
  [/인퍼런시아|인퍼렌시아/g, ' inferentia '],
  [/트레이니엄|트레이니움/g, ' trainium '],
  [/가우디/g, ' gaudi '],
  [/기가바이트|기가|지비|기비/g, 'gb '],
];

/** Model patterns, most specific first; `$memory` picks the memory variant where one exists. */
const PATTERNS: readonly { pattern: RegExp; key: string | ((memory: number | undefined) => string) }[] = [
  { pattern: /\bgb200\b/, key: 'GB200' },
  { pattern: /\bb300\b/, key: 'B300' },
  { pattern: /\bb200\b/, key: 'B200' },
  { pattern: /\bh200\b/, key: 'H200' },
  { pattern: /\bh100\b/, key: 'H100' },
  {
    pattern: /\ba100\b/,
    key: (memory) => (memory !== undefined && memory >= 60 && memory <= 100 ? 'A100-80GB' : 'A100'),
  },
  { pattern: /\ba10g\b/, key: 'A10G' },
  { pattern: /\ba10\b/, key: 'A10' },
  { pattern: /\bl40s\b/, key: 'L40S' },
  { pattern: /\bl40\b/, key: 'L40' },
  { pattern: /\bl4\b/, key: 'L4' },
  { pattern: /\bt4g\b/, key: 'T4g' },
  { pattern: /\bt4\b/, key: 'T4' },
  {
    pattern: /\bv100\b/,
    key: (memory) => (memory !== undefined && memory >= 28 && memory <= 40 ? 'V100-32GB' : 'V100'),
  },
  { pattern: /\bp100\b/, key: 'P100' },
  { pattern: /\bp4\b/, key: 'P4' },
  { pattern: /\bk80\b/, key: 'K80' },
  { pattern: /\bk520\b/, key: 'K520' },
  { pattern: /\bm60\b/, key: 'M60' },
  { pattern: /\bmi300x?\b/, key: 'MI300X' },
  { pattern: /\bmi25\b/, key: 'MI25' },
  { pattern: /\brtx\s?pro\s?(server\s?)?6000\b/, key: 'RTX PRO Server 6000' },
  { pattern: /\brtx\s?pro\s?4500\b/, key: 'RTX PRO 4500' },
  { pattern: /\b(rtx\s?)?a6000\b/, key: 'A6000' },
  { pattern: /\b(quadro\s)?rtx\s?6000\b/, key: 'RTX6000' },
  { pattern: /\b(radeon\s?pro\s?)?v520\b/, key: 'Radeon Pro V520' },
  { pattern: /\binferentia\s?2\b|\binf2\b/, key: 'Inferentia2' },
  { pattern: /\binferentia\b|\binf1\b/, key: 'Inferentia' },
  { pattern: /\btrainium\s?2\b|\btrn2\b/, key: 'Trainium2' },
  { pattern: /\btrainium\b|\btrn1n?\b/, key: 'Trainium' },
  { pattern: /\bgaudi\s?3\b|\bhl\s?325/, key: 'Gaudi3' },
  { pattern: /\bgaudi\s?2\b|\bhl\s?225/, key: 'Gaudi2' },
  { pattern: /\bgaudi\b|\bhl\s?205\b/, key: 'Gaudi HL-205' },
];

/** Lower case, Korean read, separators as spaces, "80 GB"/"80G"/"80기가" as "80gb". */
function prepare(text: string): string {
  let s = text.normalize('NFKC').toLowerCase();
  for (const [pattern, replacement] of KOREAN) s = s.replace(pattern, replacement);
  return s
    .replace(/([a-z0-9])(?=[가-힣])|([가-힣])(?=[a-z0-9])/g, '$1$2 ')
    .replace(/[-_/,()+:|]+/g, ' ')
    .replace(/(?<![a-z\d.])(\d+(?:\.\d+)?)\s?(gb|gib|g)\b/g, '$1gb')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Memory written next to the model: "80gb", or a bare 40/80 (A100) or 16/32 (V100) right after it. */
function memoryIn(text: string, modelEnd: number): number | undefined {
  const unit = /(\d+(?:\.\d+)?)gb\b/.exec(text);
  if (unit !== null) return Number(unit[1]);
  const bare = /^\s(\d{2})\b/.exec(text.slice(modelEnd));
  return bare === null ? undefined : Number(bare[1]);
}

/**
 * The catalog model key of a GPU named in any common spelling: "a100 80gb", "A100-SXM4-80GB",
 * "nvidia-tesla-v100", "H100-MEGA", "엔비디아 H100 80기가", "에이백". Undefined for text that names
 * no known accelerator (and for FPGAs).
 *
 * Variants that change what a model can run get their own key (A100-80GB, V100-32GB), as the
 * loaders write them; H100 variants (SXM, PCIe, NVL 94 GB, GCP's "H100-MEGA" A3 Mega host) share the
 * key "H100", as the loaders write them too. An RTX 6000 Ada is not matched (no row in GPU_FACTS).
 */
export function normalizeGpuModel(text: string): GpuModel | undefined {
  const prepared = prepare(text);
  if (/\brtx\s?6000\s?ada\b/.test(prepared)) return undefined;
  for (const { pattern, key } of PATTERNS) {
    const match = pattern.exec(prepared);
    if (match === null) continue;
    const resolved = typeof key === 'string' ? key : key(memoryIn(prepared, match.index + match[0].length));
    const facts: GpuFacts | undefined = GPU_FACTS[resolved];
    return { key: resolved, memoryGiB: facts?.memoryGiB ?? null, vendor: facts?.vendor ?? 'unknown' };
  }
  return undefined;
}

/** Facts for a catalog model name or any spelling of one. */
export function gpuFacts(model: string): GpuFacts | undefined {
  return GPU_FACTS[model] ?? lookupSpelling(model);
}

const spellingCache = new Map<string, GpuFacts | undefined>();

function lookupSpelling(model: string): GpuFacts | undefined {
  if (spellingCache.has(model)) return spellingCache.get(model);
  const key = normalizeGpuModel(model)?.key;
  const facts = key === undefined ? undefined : GPU_FACTS[key];
  spellingCache.set(model, facts);
  return facts;
}
