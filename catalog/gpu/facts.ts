/**
 * Per-accelerator facts from public spec sheets, keyed by the model names the catalog loaders emit
 * (`catalog/load/gpu.ts`: "A100", "A100-80GB", "H100", "T4"...).
 *
 * - `memoryGiB`: memory per accelerator as the vendor states it (GB, taken as GiB the way the clouds
 *   list it: "A100 80GB" is 80).
 * - `tflops`: peak dense throughput per accelerator at the precision it is used at for ML: FP16/BF16
 *   on tensor/matrix units (without the 2:4 sparsity figure vendors print first), or FP32 for cards
 *   without such units (Kepler, Maxwell, Pascal, Vega, RDNA). For boards with two GPUs (K80, M60,
 *   K520) the clouds count each GPU, and so does this table.
 * - `estimated`: no vendor figure exists; the comment says how the number was derived.
 */
export interface GpuFacts {
  key: string;
  vendor: 'NVIDIA' | 'AMD' | 'AWS' | 'Habana';
  memoryGiB: number;
  tflops: number;
  precision: 'fp16/bf16' | 'fp32';
  estimated?: true;
}

const row = (
  key: string,
  vendor: GpuFacts['vendor'],
  memoryGiB: number,
  tflops: number,
  precision: GpuFacts['precision'] = 'fp16/bf16',
  estimated = false,
): GpuFacts => ({
  key,
  vendor,
  memoryGiB,
  tflops,
  precision,
  ...(estimated ? { estimated: true as const } : {}),
});

export const GPU_FACTS: Readonly<Record<string, GpuFacts>> = Object.fromEntries(
  [
    // NVIDIA Blackwell
    // HGX B300 spec sheet: FP16/BF16 Tensor 36 PFLOPS (sparse) per 8 GPUs; 288 GB HBM3e per GPU.
    row('B300', 'NVIDIA', 288, 2250),
    // HGX B200 spec sheet: FP16/BF16 Tensor 36 PFLOPS (sparse) per 8 GPUs; 180 GB usable HBM3e per GPU.
    row('B200', 'NVIDIA', 180, 2250),
    // GB200 NVL72 spec sheet: FP16/BF16 Tensor 360 PFLOPS (sparse) per 72 GPUs; 186 GB HBM3e per GPU.
    row('GB200', 'NVIDIA', 186, 2500),
    // RTX PRO 6000 Blackwell Server Edition: 4,000 AI TOPS (FP4, sparse) → ÷8 for dense FP16; 96 GB GDDR7.
    row('RTX PRO Server 6000', 'NVIDIA', 96, 500, 'fp16/bf16', true),
    // RTX PRO 4500 Blackwell: ~1,690 AI TOPS (FP4, sparse) → ÷8 for dense FP16; 32 GB GDDR7.
    row('RTX PRO 4500', 'NVIDIA', 32, 211, 'fp16/bf16', true),
    // NVIDIA Hopper
    // H200 datasheet (SXM): BF16 Tensor 1,979 TFLOPS with sparsity; 141 GB HBM3e.
    row('H200', 'NVIDIA', 141, 989),
    // H100 datasheet (SXM): BF16 Tensor 1,979 TFLOPS with sparsity; 80 GB. (The PCIe/NVL cards of
    // Azure's NC H100 v5 are slower, 756/835 dense; one key covers all H100s, see normalize.ts.)
    row('H100', 'NVIDIA', 80, 989),
    // NVIDIA Ada Lovelace
    // L40S datasheet: BF16 Tensor 362.05 TFLOPS (733 with sparsity); 48 GB GDDR6.
    row('L40S', 'NVIDIA', 48, 362),
    // L40 datasheet: FP16 Tensor 181.05 TFLOPS (362.1 with sparsity); 48 GB GDDR6.
    row('L40', 'NVIDIA', 48, 181),
    // L4 datasheet: FP16 Tensor 242 TFLOPS with sparsity; 24 GB GDDR6.
    row('L4', 'NVIDIA', 24, 121),
    // NVIDIA Ampere
    // A100 datasheet (SXM4 40GB / 80GB): BF16 Tensor 312 TFLOPS (624 with sparsity).
    row('A100', 'NVIDIA', 40, 312),
    row('A100-80GB', 'NVIDIA', 80, 312),
    // A10 datasheet: FP16 Tensor 125 TFLOPS (250 with sparsity); 24 GB GDDR6.
    row('A10', 'NVIDIA', 24, 125),
    // A10G (AWS G5 only, no NVIDIA datasheet): 70 FP16 Tensor TFLOPS as compared by Baseten,
    // "NVIDIA A10 vs A10G for ML model inference"; 24 GB GDDR6.
    row('A10G', 'NVIDIA', 24, 70),
    // RTX A6000 datasheet: Tensor 309.7 TFLOPS with sparsity; 48 GB GDDR6.
    row('A6000', 'NVIDIA', 48, 154.8),
    // NVIDIA Turing
    // Quadro RTX 6000 datasheet: Tensor 130.5 TFLOPS; 24 GB GDDR6.
    row('RTX6000', 'NVIDIA', 24, 130.5),
    // T4 datasheet: mixed precision (FP16/FP32) 65 TFLOPS; 16 GB GDDR6.
    row('T4', 'NVIDIA', 16, 65),
    // T4G (AWS G5g) is the T4 part for Graviton hosts: same TU104, same figures.
    row('T4g', 'NVIDIA', 16, 65),
    // NVIDIA Volta
    // V100 datasheet (SXM2): Tensor 125 TFLOPS; 16 or 32 GB HBM2.
    row('V100', 'NVIDIA', 16, 125),
    row('V100-32GB', 'NVIDIA', 32, 125),
    // NVIDIA Pascal, Maxwell, Kepler: FP32
    // Tesla P100 PCIe datasheet: FP32 9.3 TFLOPS; 16 GB HBM2.
    row('P100', 'NVIDIA', 16, 9.3, 'fp32'),
    // Tesla P4 datasheet: FP32 5.5 TFLOPS; 8 GB GDDR5.
    row('P4', 'NVIDIA', 8, 5.5, 'fp32'),
    // Tesla M60 datasheet: FP32 9.65 TFLOPS (boost) per board of two GPUs; 8 GB per GPU.
    row('M60', 'NVIDIA', 8, 4.83, 'fp32'),
    // Tesla K80 datasheet: FP32 8.73 TFLOPS (boost) per board of two GK210; 12 GB per GPU.
    row('K80', 'NVIDIA', 12, 4.37, 'fp32'),
    // GRID K520: two GK104 (1,536 cores at 800 MHz each → 2.45 TFLOPS FP32); 4 GB per GPU.
    row('K520', 'NVIDIA', 4, 2.45, 'fp32', true),
    // AMD
    // Instinct MI300X datasheet: FP16/BF16 1,307.4 TFLOPS dense (2,614.9 with sparsity); 192 GB HBM3.
    row('MI300X', 'AMD', 192, 1307.4),
    // Radeon Instinct MI25 datasheet: FP32 12.29 TFLOPS (FP16 24.6, no matrix units); 16 GB HBM2.
    row('MI25', 'AMD', 16, 12.29, 'fp32'),
    // Radeon Pro V520 (AWS G4ad): Navi 12, 36 CUs at ~1.6 GHz → ~7.4 TFLOPS FP32; 8 GB HBM2.
    row('Radeon Pro V520', 'AMD', 8, 7.37, 'fp32', true),
    // AWS
    // AWS Inferentia (Inf1): 128 TOPS INT8, 64 TFLOPS FP16/BF16 per chip; 8 GB DRAM per chip.
    row('Inferentia', 'AWS', 8, 64),
    // AWS Neuron docs, Inferentia2 architecture: 190 TFLOPS FP16/BF16 per chip; 32 GB HBM.
    row('Inferentia2', 'AWS', 32, 190),
    // AWS Neuron docs, Trainium architecture: 190 TFLOPS FP16/BF16 per chip; 32 GB HBM.
    row('Trainium', 'AWS', 32, 190),
    // AWS Neuron docs, Trainium2 architecture: 667 TFLOPS BF16 dense per chip; 96 GB HBM.
    row('Trainium2', 'AWS', 96, 667),
    // Intel Habana
    // Gaudi (HL-205, AWS DL1): no published peak. Estimate from AWS's claim of 40% better price
    // performance than p4d (8×A100) at $13.11 vs $32.77 an hour: 0.56 × 312 ≈ 175 per chip. 32 GB HBM2.
    row('Gaudi HL-205', 'Habana', 32, 175, 'fp16/bf16', true),
    // Intel Gaudi 3 white paper, comparison table: Gaudi 2 BF16 MME 432 TFLOPS; 96 GB HBM2e.
    row('Gaudi2', 'Habana', 96, 432),
    // Intel Gaudi 3 white paper: BF16 MME 1,835 TFLOPS; 128 GB HBM2e.
    row('Gaudi3', 'Habana', 128, 1835),
  ].map((facts) => [facts.key, facts]),
);
