/**
 * Plans as LanceDB filters (DataFusion SQL), for the vector search's prefilter and the scalar
 * queries: the same conditions `SpecColumns.filter` applies in memory.
 */
import type { ImagePlan, RegionPlan, SpecPlan } from './plan.ts';

export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  const text = String(value);
  return text.includes('e') ? value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '') : text;
}

function inList(column: string, values: Iterable<string>): string {
  const list = [...values].sort();
  return list.length === 0 ? 'false' : `${column} IN (${list.map(sqlString).join(', ')})`;
}

export function specWhere(plan: SpecPlan): string | undefined {
  const parts: string[] = [];
  if (plan.providers) parts.push(inList('provider', plan.providers));
  if (plan.regionIds) parts.push(inList('region_id', plan.regionIds));
  else parts.push('restricted = false');
  if (plan.minVcpu !== undefined) parts.push(`vcpu >= ${sqlNumber(plan.minVcpu)}`);
  if (plan.maxVcpu !== undefined) parts.push(`vcpu <= ${sqlNumber(plan.maxVcpu)}`);
  if (plan.minMemoryGiB !== undefined) parts.push(`memory_gib >= ${sqlNumber(plan.minMemoryGiB)}`);
  if (plan.maxMemoryGiB !== undefined) parts.push(`memory_gib <= ${sqlNumber(plan.maxMemoryGiB)}`);
  if (plan.arch) parts.push(`arch = ${sqlString(plan.arch)}`);
  if (plan.noGpu) parts.push('gpu_count IS NULL');
  if (plan.gpu) {
    parts.push(`gpu_count >= ${sqlNumber(plan.gpu.minCount)}`);
    if (plan.gpu.minMemoryGiB !== undefined)
      parts.push(`gpu_memory_gib >= ${sqlNumber(plan.gpu.minMemoryGiB)}`);
    parts.push(inList('gpu_key', plan.gpu.keys));
  }
  const price = plan.spot ? 'spot_price_usd' : 'price_usd';
  if (plan.spot) parts.push('spot_price_usd IS NOT NULL');
  if (plan.maxPricePerHour !== undefined) parts.push(`${price} <= ${sqlNumber(plan.maxPricePerHour)}`);
  return parts.length > 0 ? parts.join(' AND ') : undefined;
}

export function regionWhere(plan: RegionPlan): string | undefined {
  const parts: string[] = [];
  if (plan.providers) parts.push(inList('provider', plan.providers));
  if (plan.countryCode) parts.push(`country_code = ${sqlString(plan.countryCode)}`);
  if (plan.distanceKm) parts.push(inList('id', plan.distanceKm.keys()));
  return parts.length > 0 ? parts.join(' AND ') : undefined;
}

export function imageWhere(plan: ImagePlan): string | undefined {
  const parts: string[] = [];
  if (plan.regionId) parts.push(`region_id = ${sqlString(plan.regionId)}`);
  if (plan.os) parts.push(`os = ${sqlString(plan.os)}`);
  if (plan.osVersion) {
    parts.push(
      `(os_version = ${sqlString(plan.osVersion)} OR starts_with(os_version, ${sqlString(`${plan.osVersion}.`)}))`,
    );
  }
  if (plan.arch) parts.push(`arch = ${sqlString(plan.arch)}`);
  if (plan.gpuReady !== undefined) parts.push(`gpu_ready = ${plan.gpuReady ? 'true' : 'false'}`);
  return parts.length > 0 ? parts.join(' AND ') : undefined;
}
