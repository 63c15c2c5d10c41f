import { describe, expect, it } from "vitest";
import { lengthSortedBatches, padBatch } from "../../../packages/core/src/text/padding.js";

describe("padding and batching", () => {
  it("right-pads int64 ids with a mask, negative ids included", () => {
    const { ids, mask, typeIds, dims } = padBatch([[5, 6, 7], [8], [-1, 2]], 0);
    expect(dims).toEqual([3, 3]);
    expect(Array.from(ids, Number)).toEqual([5, 6, 7, 8, 0, 0, -1, 2, 0]);
    expect(Array.from(mask, Number)).toEqual([1, 1, 1, 1, 0, 0, 1, 1, 0]);
    expect(Array.from(typeIds, Number)).toEqual(new Array(9).fill(0));
    expect(Array.from(padBatch([[3]], 1).ids, Number)).toEqual([3]);
    expect(Array.from(padBatch([[3], [4, 4]], 1).ids, Number)).toEqual([3, 1, 4, 4]);
    expect(padBatch([[]], 0).dims).toEqual([1, 1]);
  });

  it("sorts by length, bounds items and padded positions per batch, and keeps the original indices", () => {
    const lengths = [5, 1, 9, 2, 100, 3];
    const batches = lengthSortedBatches(lengths, (length) => length, 2, 20);
    expect(batches.map((batch) => batch.indices)).toEqual([[1, 3], [5, 0], [2], [4]]);
    expect(batches.flatMap((batch) => batch.indices).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(lengthSortedBatches(lengths, (length) => length, 32).map((batch) => batch.indices)).toEqual([
      [1, 3, 5, 0, 2, 4],
    ]);
  });
});
