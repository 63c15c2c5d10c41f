/** Sentence embeddings from token states: the pooling steps of sentence-transformers. */
type Mask = ArrayLike<bigint | number>;

const masked = (mask: Mask, at: number) => Number(mask[at]) !== 0;

function pool(
  hidden: Float32Array,
  [batch, length, width]: readonly [number, number, number],
  mask: Mask,
  reduce: "mean" | "max",
): Float32Array[] {
  return Array.from({ length: batch }, (_, row) => {
    const out = new Float32Array(width).fill(reduce === "max" ? Number.NEGATIVE_INFINITY : 0);
    let count = 0;
    for (let token = 0; token < length; token++) {
      if (!masked(mask, row * length + token)) continue;
      count += 1;
      const base = (row * length + token) * width;
      for (let d = 0; d < width; d++) {
        const value = hidden[base + d] as number;
        out[d] = reduce === "max" ? Math.max(out[d] as number, value) : (out[d] as number) + value;
      }
    }
    if (reduce === "mean")
      for (let d = 0; d < width; d++) out[d] = (out[d] as number) / Math.max(count, 1e-9);
    if (count === 0) out.fill(0);
    return out;
  });
}

/** Attention-mask-weighted mean of the token states. */
export const meanPool = (hidden: Float32Array, dims: readonly [number, number, number], mask: Mask) =>
  pool(hidden, dims, mask, "mean");

export const maxPool = (hidden: Float32Array, dims: readonly [number, number, number], mask: Mask) =>
  pool(hidden, dims, mask, "max");

/** The first token's state ([CLS]). */
export function clsPool(hidden: Float32Array, [batch, length, width]: readonly [number, number, number]) {
  return Array.from({ length: batch }, (_, row) =>
    hidden.slice(row * length * width, row * length * width + width),
  );
}

export function l2Normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  return norm > 0 ? vector.map((value) => value / norm) : vector;
}

export function softmax(logits: ArrayLike<number>): number[] {
  const values = Array.from(logits);
  const top = Math.max(...values);
  const exps = values.map((value) => Math.exp(value - top));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

export type PoolingMode = "mean" | "cls" | "max";

/** `1_Pooling/config.json` of a sentence-transformers export -> the pooling it uses. */
export function readPoolingConfig(json: unknown): { mode: PoolingMode } {
  const config = (json ?? {}) as Record<string, unknown>;
  if (config.pooling_mode_cls_token === true) return { mode: "cls" };
  if (config.pooling_mode_max_tokens === true) return { mode: "max" };
  return { mode: "mean" };
}

/** Whether modules.json ends with a Normalize step (embeddings are then L2-normalised). */
export function hasNormalize(json: unknown): boolean {
  return (
    Array.isArray(json) &&
    json.some((module) => String((module as { type?: unknown }).type ?? "").endsWith("models.Normalize"))
  );
}
