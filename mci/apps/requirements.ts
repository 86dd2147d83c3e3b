import type { Spec } from '../../drivers/spec/index.ts';
import { requirementMessages } from './prelude.ts';
import type { Recipe } from './schema.ts';

export type RequirementKind = 'arch' | 'vcpu' | 'memory' | 'gpu' | 'gpuMemory';

export interface RequirementProblem {
  kind: RequirementKind;
  /** Why the spec does not fit, in the spec's terms (for plans and errors). */
  reason: string;
  /** What the install script's preflight prints on a VM of this spec (the sim's shell says it). */
  onVm: string;
}

export interface RequirementCheck {
  ok: boolean;
  problems: RequirementProblem[];
  /** Facts the catalog does not know (e.g. GPU memory), so the VM will check them itself. */
  unknowns: string[];
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Memory of the largest GPU of a spec, in GiB, when the catalog knows it. */
export function gpuMemoryPerDevice(spec: Spec): number | undefined {
  if (!spec.gpu || spec.gpu.memoryGiB === null) return undefined;
  return spec.gpu.memoryGiB / Math.max(1, spec.gpu.count);
}

function isNvidia(spec: Spec): boolean {
  const gpu = spec.gpu;
  if (!gpu) return false;
  if (gpu.manufacturer === null)
    return !/inferentia|trainium|gaudi|radeon|instinct|mi\d{2,3}/i.test(gpu.model);
  return /nvidia/i.test(gpu.manufacturer);
}

/** Whether a spec meets a recipe's requirements, with a reason per requirement it misses. */
export function checkRequirements(recipe: Recipe, spec: Spec): RequirementCheck {
  const { requirements } = recipe;
  const app = recipe.name;
  const problems: RequirementProblem[] = [];
  const unknowns: string[] = [];
  const specName = `spec ${spec.id}`;
  // The GPU first, as the VM preflight checks it first.
  if (requirements.gpu) {
    if (!spec.gpu) {
      problems.push({
        kind: 'gpu',
        reason: `${app} requires an NVIDIA GPU (CUDA); ${specName} has no GPU. Pick a GPU spec (searchSpecs with gpu: true).`,
        onVm: requirementMessages.gpu(app),
      });
    } else if (!isNvidia(spec)) {
      problems.push({
        kind: 'gpu',
        reason:
          `${app} requires an NVIDIA GPU (CUDA); ${specName} has ${spec.gpu.manufacturer ?? ''} ${spec.gpu.model}`.replace(
            /\s+/g,
            ' ',
          ),
        onVm: requirementMessages.gpu(app),
      });
    } else if (typeof requirements.gpu === 'object') {
      const perDevice = gpuMemoryPerDevice(spec);
      if (perDevice === undefined) {
        unknowns.push(
          `GPU memory of ${spec.gpu.model} is not in the catalog; the VM checks it during install`,
        );
      } else if (perDevice < requirements.gpu.minMemoryGiB) {
        problems.push({
          kind: 'gpuMemory',
          reason: `${app} needs a GPU with at least ${requirements.gpu.minMemoryGiB} GiB of memory; ${specName} has ${spec.gpu.model} with ${format(perDevice)} GiB`,
          onVm: requirementMessages.gpuMemory(
            app,
            requirements.gpu.minMemoryGiB,
            String(Math.floor(perDevice)),
          ),
        });
      }
    }
  }
  if (requirements.arch && !requirements.arch.includes(spec.arch)) {
    const machine = spec.arch === 'arm64' ? 'aarch64' : spec.arch;
    problems.push({
      kind: 'arch',
      reason: `${app} runs on ${requirements.arch.join(', ')}; ${specName} is ${spec.arch}`,
      onVm: requirementMessages.arch(app, requirements.arch, machine),
    });
  }
  if (requirements.minVcpu !== undefined && spec.vcpu < requirements.minVcpu) {
    problems.push({
      kind: 'vcpu',
      reason: `${app} needs at least ${requirements.minVcpu} vCPUs; ${specName} has ${format(spec.vcpu)}`,
      onVm: requirementMessages.vcpu(app, requirements.minVcpu, format(spec.vcpu)),
    });
  }
  if (requirements.minMemoryGiB !== undefined && spec.memoryGiB < requirements.minMemoryGiB) {
    problems.push({
      kind: 'memory',
      reason: `${app} needs at least ${requirements.minMemoryGiB} GiB of memory; ${specName} has ${format(spec.memoryGiB)} GiB`,
      onVm: requirementMessages.memory(app, requirements.minMemoryGiB, format(spec.memoryGiB)),
    });
  }
  return { ok: problems.length === 0, problems, unknowns };
}
