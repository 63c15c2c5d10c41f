/**
 * EASE (Steck 2019): B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹, X the binary user × item matrix, diag(B) = 0.
 * Closed form; the inverse is the Cholesky one in linalg/cholesky.ts (Float64Array, contiguous loops).
 * The scorer is X's row × B, the serving graph's item-item shape.
 */
import { globalMean, type RatingsDataset } from "../dataset.js";
import { invertSpd } from "../linalg/cholesky.js";
import { byUser, rowRange } from "../sparse.js";
import { numberParam, type Params, type TrainedRecommender } from "./types.js";

export const EASE_DEFAULTS = { lambda: 300 };

export function trainEase(dataset: RatingsDataset, params: Params): TrainedRecommender {
  const lambda = numberParam(params, "lambda", EASE_DEFAULTS.lambda, 1e-3, 1e6);
  const n = dataset.itemIds.length;
  const rows = byUser(dataset);
  const gram = new Float64Array(n * n);
  for (let u = 0; u < rows.rows; u++) {
    const [start, end] = rowRange(rows, u);
    for (let a = start; a < end; a++) {
      const row = (rows.indices[a] as number) * n;
      for (let b = start; b < end; b++)
        gram[row + (rows.indices[b] as number)] = (gram[row + (rows.indices[b] as number)] as number) + 1;
    }
  }
  for (let i = 0; i < n; i++) gram[i * n + i] = (gram[i * n + i] as number) + lambda;
  const inverse = invertSpd(gram, n);
  const matrix = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i !== j) matrix[i * n + j] = -(inverse[i * n + j] as number) / (inverse[j * n + j] as number);
    }
  }
  return {
    algorithm: "ease",
    params: { lambda },
    scorer: { dims: n, items: n, matrix, bias: new Float32Array(n) },
    ratings: rows,
    mean: globalMean(dataset),
  };
}
