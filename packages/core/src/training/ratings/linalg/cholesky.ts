/**
 * Cholesky factorisation of symmetric positive-definite matrices held row-major in a Float64Array, and what
 * is built on it: solving A·x = b (ALS's k×k systems) and inverting A (EASE's item × item Gram matrix).
 * Every inner loop walks contiguous memory (row dot products and row axpys), which is what makes these
 * faster than a generic get/set implementation: see test/bench/training-ratings.ts for the times.
 */

/** Σ a[aStart + t]·b[bStart + t] for t < length, with four accumulators. */
export function dotRange(
  a: Float64Array,
  aStart: number,
  b: Float64Array,
  bStart: number,
  length: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < length; t += 4) {
    s0 += (a[aStart + t] as number) * (b[bStart + t] as number);
    s1 += (a[aStart + t + 1] as number) * (b[bStart + t + 1] as number);
    s2 += (a[aStart + t + 2] as number) * (b[bStart + t + 2] as number);
    s3 += (a[aStart + t + 3] as number) * (b[bStart + t + 3] as number);
  }
  for (; t < length; t++) s0 += (a[aStart + t] as number) * (b[bStart + t] as number);
  return s0 + s1 + s2 + s3;
}

export class NotPositiveDefiniteError extends Error {
  override name = "NotPositiveDefiniteError";
}

/**
 * Overwrites the lower triangle of `a` (n × n) with L such that A = L·Lᵀ; the strict upper triangle is set to 0.
 * Throws NotPositiveDefiniteError when a pivot is not positive (add regularisation).
 */
export function choleskyInPlace(a: Float64Array, n: number): Float64Array {
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      const s = (a[rowI + j] as number) - dotRange(a, rowI, a, rowJ, j);
      if (i === j) {
        if (!(s > 0))
          throw new NotPositiveDefiniteError(`pivot ${i} is ${s}: the matrix is not positive definite`);
        a[rowI + i] = Math.sqrt(s);
      } else {
        a[rowI + j] = s / (a[rowJ + j] as number);
      }
    }
    a.fill(0, rowI + i + 1, rowI + n);
  }
  return a;
}

/** Solves L·Lᵀ·x = b in place in `b`, L from choleskyInPlace. */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++)
    b[i] = ((b[i] as number) - dotRange(l, i * n, b, 0, i)) / (l[i * n + i] as number);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (b[k] as number);
    b[i] = s / (l[i * n + i] as number);
  }
  return b;
}

/** Solves A·x = b for symmetric positive-definite A (destroyed) in place in `b`. */
export function solveSpdInPlace(a: Float64Array, n: number, b: Float64Array): Float64Array {
  return choleskySolveInPlace(choleskyInPlace(a, n), n, b);
}

/**
 * A⁻¹ for symmetric positive-definite A (n × n, row-major; `a` is destroyed). A = L·Lᵀ; row j of Wᵀ = L⁻ᵀ is
 * column j of L⁻¹ by forward substitution; A⁻¹[p][q] = Σₖ Wᵀ[p][k]·Wᵀ[q][k]. All three steps are dot
 * products of contiguous rows: about n³/2 multiply-adds, reading memory sequentially.
 */
export function invertSpd(a: Float64Array, n: number): Float64Array {
  const l = choleskyInPlace(a, n);
  const wt = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    wt[rowJ + j] = 1 / (l[rowJ + j] as number);
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      wt[rowJ + i] = -dotRange(l, rowI + j, wt, rowJ + j, i - j) / (l[rowI + i] as number);
    }
  }
  const inverse = l;
  for (let p = 0; p < n; p++) {
    const rowP = p * n;
    for (let q = p; q < n; q++) {
      const value = dotRange(wt, rowP + q, wt, q * n + q, n - q);
      inverse[rowP + q] = value;
      inverse[q * n + p] = value;
    }
  }
  return inverse;
}
