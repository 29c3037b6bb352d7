/**
 * GGUF v3 encoding for the test kit's model writers: typed metadata values, the header with its tensor
 * table, and alignment. Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
 */
const GGUF_MAGIC = 0x46554747; // "GGUF" little-endian
export const ALIGNMENT = 32;

export const enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
}

export type MetaValue =
  | { t: ValueType.UINT32 | ValueType.INT32 | ValueType.FLOAT32; v: number }
  | { t: ValueType.BOOL; v: boolean }
  | { t: ValueType.STRING; v: string }
  | { t: ValueType.ARRAY; of: ValueType.STRING; v: string[] }
  | { t: ValueType.ARRAY; of: ValueType.INT32 | ValueType.FLOAT32; v: number[] };

/** One tensor of the table: its data follows the header at `offset`, padded to ALIGNMENT. */
export interface TensorEntry {
  name: string;
  dims: number[]; // ne[0] first (the fastest-moving dimension)
  ggmlType: number;
  byteSize: number;
}

class HeaderWriter {
  private parts: Buffer[] = [];
  u32(v: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.parts.push(b);
  }
  i32(v: number) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.parts.push(b);
  }
  f32(v: number) {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.parts.push(b);
  }
  u64(v: number | bigint) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.parts.push(b);
  }
  str(s: string) {
    const bytes = Buffer.from(s, "utf8");
    this.u64(bytes.length);
    this.parts.push(bytes);
  }
  bool(v: boolean) {
    this.parts.push(Buffer.from([v ? 1 : 0]));
  }
  value(m: MetaValue) {
    this.u32(m.t);
    switch (m.t) {
      case ValueType.UINT32:
        return this.u32(m.v);
      case ValueType.INT32:
        return this.i32(m.v);
      case ValueType.FLOAT32:
        return this.f32(m.v);
      case ValueType.BOOL:
        return this.bool(m.v);
      case ValueType.STRING:
        return this.str(m.v);
      case ValueType.ARRAY:
        this.u32(m.of);
        this.u64(m.v.length);
        if (m.of === ValueType.STRING) for (const s of m.v as string[]) this.str(s);
        else if (m.of === ValueType.INT32) for (const n of m.v as number[]) this.i32(n);
        else for (const n of m.v as number[]) this.f32(n);
        return;
      default:
        return m satisfies never;
    }
  }
  get length() {
    return this.parts.reduce((a, p) => a + p.length, 0);
  }
  pad(alignment: number) {
    const rem = this.length % alignment;
    if (rem) this.parts.push(Buffer.alloc(alignment - rem));
  }
  toBuffer() {
    return Buffer.concat(this.parts);
  }
}

/** The header of a GGUF file: magic, version, metadata, tensor table, padding; data starts right after. */
export function ggufHeader(meta: [string, MetaValue][], tensors: TensorEntry[]): Buffer {
  const header = new HeaderWriter();
  header.u32(GGUF_MAGIC);
  header.u32(3);
  header.u64(tensors.length);
  header.u64(meta.length);
  for (const [key, value] of meta) {
    header.str(key);
    header.value(value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    header.str(tensor.name);
    header.u32(tensor.dims.length);
    for (const d of tensor.dims) header.u64(d);
    header.u32(tensor.ggmlType);
    header.u64(offset);
    offset += paddedSize(tensor.byteSize);
  }
  header.pad(ALIGNMENT);
  return header.toBuffer();
}

export const paddedSize = (bytes: number) => Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;

/** Metadata values from plain JavaScript ones: strings, booleans, integers (UINT32), other numbers (FLOAT32). */
export function plainMeta(values: Record<string, string | number | boolean>): [string, MetaValue][] {
  return Object.entries(values).map(([key, v]): [string, MetaValue] =>
    typeof v === "string"
      ? [key, { t: ValueType.STRING, v }]
      : typeof v === "boolean"
        ? [key, { t: ValueType.BOOL, v }]
        : Number.isInteger(v)
          ? [key, { t: ValueType.UINT32, v }]
          : [key, { t: ValueType.FLOAT32, v }],
  );
}
