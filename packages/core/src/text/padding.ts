export interface PaddedBatch {
  ids: BigInt64Array;
  mask: BigInt64Array;
  typeIds: BigInt64Array;
  dims: [number, number];
}

/**
 * Right-padded int64 tensors for token sequences: `mask` is 1 on tokens, 0 on padding; type ids are 0.
 * Written through 32-bit views of the int64 buffers (little-endian halves), without a BigInt per token.
 */
export function padBatch(sequences: readonly (readonly number[])[], padId: number): PaddedBatch {
  const width = Math.max(1, ...sequences.map((sequence) => sequence.length));
  const size = sequences.length * width;
  const ids = new BigInt64Array(size);
  const mask = new BigInt64Array(size);
  const idHalves = new Int32Array(ids.buffer);
  const maskHalves = new Int32Array(mask.buffer);
  if (padId !== 0) ids.fill(BigInt(padId));
  sequences.forEach((sequence, row) => {
    let at = row * width * 2;
    for (const id of sequence) {
      idHalves[at] = id;
      idHalves[at + 1] = id < 0 ? -1 : 0;
      maskHalves[at] = 1;
      at += 2;
    }
  });
  return { ids, mask, typeIds: new BigInt64Array(size), dims: [sequences.length, width] };
}

/**
 * Groups items into batches sorted by length, so that each batch pads little: at most `maxBatch` items,
 * and at most `maxTokens` padded positions (items × the longest) unless one item alone is longer. Each
 * batch lists the items' original indices (results go back in input order).
 */
export function lengthSortedBatches<T>(
  items: readonly T[],
  length: (item: T) => number,
  maxBatch: number,
  maxTokens = Number.POSITIVE_INFINITY,
): Array<{ indices: number[] }> {
  const order = items.map((_, index) => index);
  order.sort((a, b) => length(items[a] as T) - length(items[b] as T) || a - b);
  const batches: Array<{ indices: number[] }> = [];
  let current: number[] = [];
  for (const index of order) {
    const longest = Math.max(1, length(items[index] as T));
    if (current.length > 0 && (current.length >= maxBatch || (current.length + 1) * longest > maxTokens)) {
      batches.push({ indices: current });
      current = [];
    }
    current.push(index);
  }
  if (current.length > 0) batches.push({ indices: current });
  return batches;
}

/** Non-negative int32 values as an int64 tensor buffer, written through 32-bit halves (no BigInt each). */
export function int64From(values: ArrayLike<number>): BigInt64Array {
  const out = new BigInt64Array(values.length);
  const halves = new Int32Array(out.buffer);
  for (let index = 0; index < values.length; index += 1) halves[index * 2] = values[index] as number;
  return out;
}
