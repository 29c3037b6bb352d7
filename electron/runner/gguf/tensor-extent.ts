/**
 * Where a GGUF file's tensor data ends, from its header: each tensor's offset plus its size in bytes
 * (ggml block size and bytes per block of its type). A file shorter than that is truncated, or lies
 * about its offsets, and llama.cpp would fail on it only when loading.
 */
import { GGMLQuantizationType as T, type GGUFTensorInfo } from "@huggingface/gguf";

/** [elements per block, bytes per block] of ggml's tensor types (ggml.c type_traits). */
const BLOCKS: Partial<Record<number, [number, number]>> = {
  [T.F32]: [1, 4],
  [T.F16]: [1, 2],
  [T.BF16]: [1, 2],
  [T.F64]: [1, 8],
  [T.I8]: [1, 1],
  [T.I16]: [1, 2],
  [T.I32]: [1, 4],
  [T.I64]: [1, 8],
  [T.Q4_0]: [32, 18],
  [T.Q4_1]: [32, 20],
  [T.Q5_0]: [32, 22],
  [T.Q5_1]: [32, 24],
  [T.Q8_0]: [32, 34],
  [T.Q8_1]: [32, 36],
  [T.IQ4_NL]: [32, 18],
  [T.MXFP4]: [32, 17],
  [T.Q2_K]: [256, 84],
  [T.Q3_K]: [256, 110],
  [T.Q4_K]: [256, 144],
  [T.Q5_K]: [256, 176],
  [T.Q6_K]: [256, 210],
  [T.Q8_K]: [256, 292],
  [T.IQ2_XXS]: [256, 66],
  [T.IQ2_XS]: [256, 74],
  [T.IQ2_S]: [256, 82],
  [T.IQ3_XXS]: [256, 98],
  [T.IQ3_S]: [256, 110],
  [T.IQ1_S]: [256, 50],
  [T.IQ1_M]: [256, 56],
  [T.IQ4_XS]: [256, 136],
  [T.TQ1_0]: [256, 54],
  [T.TQ2_0]: [256, 66],
};

/** The byte just past the last tensor's data; a tensor of an unknown type counts from its offset only. */
export function tensorDataEnd(tensorDataOffset: bigint | number, tensors: GGUFTensorInfo[]): number {
  const base = Number(tensorDataOffset);
  let end = base;
  for (const t of tensors) {
    const elements = t.shape.reduce((a, d) => a * Number(d), 1);
    const block = BLOCKS[t.dtype];
    const bytes = block ? Math.ceil(elements / block[0]) * block[1] : 0;
    end = Math.max(end, base + Number(t.offset) + bytes);
  }
  return end;
}
