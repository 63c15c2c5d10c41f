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
  sequences.forEach((sequence, row) => {
    for (let column = 0; column < width; column++) {
      const at = (row * width + column) * 2;
      const present = column < sequence.length;
      const id = present ? (sequence[column] as number) : padId;
      idHalves[at] = id;
      idHalves[at + 1] = id < 0 ? -1 : 0;
      maskHalves[at] = present ? 1 : 0;
    }
  });
  return { ids, mask, typeIds: new BigInt64Array(size), dims: [sequences.length, width] };
}

/**
 * Groups items into batches of at most `maxBatch`, sorted by length so that each batch pads little;
 * each batch lists the items' original indices (results go back in input order).
 */
export function lengthSortedBatches<T>(
  items: readonly T[],
  length: (item: T) => number,
  maxBatch: number,
): Array<{ indices: number[] }> {
  const order = items.map((_, index) => index);
  order.sort((a, b) => length(items[a] as T) - length(items[b] as T) || a - b);
  const batches: Array<{ indices: number[] }> = [];
  for (let at = 0; at < order.length; at += maxBatch)
    batches.push({ indices: order.slice(at, at + maxBatch) });
  return batches;
}
