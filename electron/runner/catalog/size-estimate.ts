/**
 * A download size for catalog variants whose size the curated data does not state (shared catalog facts
 * give Docker's and some Hugging Face sizes, not every quantization): parameters × the quantization's
 * bits per weight. The figures are llama.cpp's averages for each GGUF type (`llama-quantize --help`);
 * small models keep their embeddings at higher precision, so the UI marks these as estimates ("≈").
 */

const BITS_PER_WEIGHT: Record<string, number> = {
  IQ2_XXS: 2.06,
  Q2_K: 2.96,
  Q3_K_M: 3.91,
  Q4_0: 4.55,
  Q4_K_S: 4.58,
  Q4_K_M: 4.89,
  "UD-Q4_K_XL": 5.0,
  Q5_K_M: 5.69,
  Q6_K: 6.59,
  Q8_0: 8.5,
  "UD-Q8_K_XL": 9.0,
  F16: 16,
  BF16: 16,
};

/** "270M" → 270e6, "1.7B" → 1.7e9; null for anything else. */
export function parameterCount(text: string | null): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([MB])$/i.exec(text?.trim() ?? "");
  if (!m) return null;
  return Number(m[1]) * (m[2]!.toUpperCase() === "B" ? 1e9 : 1e6);
}

/** Estimated download bytes, or null when the quantization is not stated ("default") or unknown. */
export function estimateDownloadBytes(parameters: string | null, quantization: string): number | null {
  const count = parameterCount(parameters);
  const bits = BITS_PER_WEIGHT[quantization.toUpperCase()] ?? BITS_PER_WEIGHT[quantization];
  if (count === null || bits === undefined) return null;
  return Math.round((count * bits) / 8);
}
