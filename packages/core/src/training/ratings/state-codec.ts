/**
 * A trained recommender as two files of a model version: `recommender.json` (algorithm, parameters, sizes,
 * item ids and titles, user pseudonyms, where each tensor lies) and `state.bin` (the tensors, little-endian,
 * 4-byte aligned): the scorer's matrix and bias, the training ratings by user (CSR), and the stored user
 * factors of factor models. Decoding gives back the RecommenderState that serving folds users in with.
 */

import type { RecommenderState } from "./algorithms/types.js";
import type { RatingsDataset } from "./dataset.js";

type TensorName = "matrix" | "bias" | "indptr" | "indices" | "values" | "userFactors";
interface TensorPlace {
  type: "float32" | "int32";
  offset: number;
  length: number;
}

export interface RecommenderFile {
  format: "marquee-recommender";
  version: 1;
  algorithm: string;
  params: RecommenderState["params"];
  mean: number;
  dims: number;
  items: number;
  users: number;
  implicit: boolean;
  itemIds: readonly string[];
  titles?: readonly string[];
  genreNames?: readonly string[];
  /** Item index → its genres' positions in genreNames. */
  itemGenres?: number[][];
  /** Pseudonyms of the training users, by user index. */
  userIds: readonly string[];
  tensors: Partial<Record<TensorName, TensorPlace>>;
}

export interface EncodedState {
  json: RecommenderFile;
  bin: Uint8Array;
}

export function encodeState(state: RecommenderState, dataset: RatingsDataset): EncodedState {
  const arrays: Array<[TensorName, Float32Array | Int32Array]> = [
    ["matrix", state.scorer.matrix],
    ["bias", state.scorer.bias],
    ["indptr", state.ratings.indptr],
    ["indices", state.ratings.indices],
    ["values", state.ratings.values],
  ];
  if (state.userFactors) arrays.push(["userFactors", state.userFactors]);
  const tensors: RecommenderFile["tensors"] = {};
  let offset = 0;
  for (const [name, data] of arrays) {
    tensors[name] = { type: data instanceof Int32Array ? "int32" : "float32", offset, length: data.length };
    offset += data.length * 4;
  }
  const bin = new Uint8Array(offset);
  for (const [name, data] of arrays) {
    bin.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), tensors[name]?.offset ?? 0);
  }
  const metadata = dataset.metadata;
  const genreCount = metadata?.genreNames.length ?? 0;
  return {
    json: {
      format: "marquee-recommender",
      version: 1,
      algorithm: state.algorithm,
      params: state.params,
      mean: state.mean,
      dims: state.scorer.dims,
      items: state.scorer.items,
      users: state.ratings.rows,
      implicit: dataset.implicit,
      itemIds: dataset.itemIds,
      ...(metadata && {
        titles: metadata.titles,
        genreNames: metadata.genreNames,
        itemGenres: dataset.itemIds.map((_, item) =>
          metadata.genreNames.flatMap((_, g) => (metadata.genres[item * genreCount + g] ? [g] : [])),
        ),
      }),
      userIds: dataset.userIds,
      tensors,
    },
    bin,
  };
}

function tensor<T extends Float32Array | Int32Array>(
  file: RecommenderFile,
  bin: Uint8Array,
  name: TensorName,
  make: new (buffer: ArrayBuffer, offset: number, length: number) => T,
): T | undefined {
  const place = file.tensors[name];
  if (!place) return undefined;
  if (place.offset + place.length * 4 > bin.byteLength)
    throw new RangeError(`state.bin: ${name} is cut short`);
  const aligned = bin.byteOffset % 4 === 0 ? bin : bin.slice();
  return new make(aligned.buffer as ArrayBuffer, aligned.byteOffset + place.offset, place.length);
}

export function decodeState(file: RecommenderFile, bin: Uint8Array): RecommenderState {
  if (file.format !== "marquee-recommender" || file.version !== 1) {
    throw new RangeError("recommender.json: not a marquee-recommender file of version 1");
  }
  const needed = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new RangeError(`state.bin: no ${name}`);
    return value;
  };
  const aligned = bin.byteOffset % 4 === 0 ? bin : bin.slice();
  return {
    algorithm: file.algorithm,
    params: file.params,
    mean: file.mean,
    scorer: {
      dims: file.dims,
      items: file.items,
      matrix: needed(tensor(file, aligned, "matrix", Float32Array), "matrix"),
      bias: needed(tensor(file, aligned, "bias", Float32Array), "bias"),
    },
    ratings: {
      rows: file.users,
      columns: file.items,
      indptr: needed(tensor(file, aligned, "indptr", Int32Array), "indptr"),
      indices: needed(tensor(file, aligned, "indices", Int32Array), "indices"),
      values: needed(tensor(file, aligned, "values", Float32Array), "values"),
    },
    userFactors: tensor(file, aligned, "userFactors", Float32Array),
  };
}
