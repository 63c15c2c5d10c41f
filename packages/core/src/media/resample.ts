/**
 * Separable, antialiased resampling (PIL's and libvips' convention): each output pixel is a weighted sum
 * of the source pixels under a filter whose support grows with the reduction, so a 6× shrink averages
 * ~12 source pixels per axis instead of point-sampling two.
 */
export type ResampleFilter = "box" | "bilinear" | "bicubic" | "lanczos";

const filters: Record<ResampleFilter, { support: number; weight: (x: number) => number }> = {
  box: { support: 0.5, weight: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  bilinear: { support: 1, weight: (x) => Math.max(0, 1 - Math.abs(x)) },
  bicubic: {
    support: 2,
    weight: (x) => {
      const a = -0.5;
      const t = Math.abs(x);
      if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
      return 0;
    },
  },
  lanczos: {
    support: 3,
    weight: (x) => {
      if (x === 0) return 1;
      if (Math.abs(x) >= 3) return 0;
      const px = Math.PI * x;
      return (3 * Math.sin(px) * Math.sin(px / 3)) / (px * px);
    },
  },
};

/** Fixed-point fraction bits of the 8-bit weights: PIL's PRECISION_BITS (32 − 8 − 2). */
const PRECISION_BITS = 22;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

/** For each output index along one axis: the first source index, tap count and normalised weights. */
export interface AxisTaps {
  start: Int32Array;
  count: Int32Array;
  /** `count[i]` weights of output i at `i * stride` (double precision, normalised to sum 1). */
  weights: Float64Array;
  /** The same weights in fixed point (× 2^22, rounded half away from zero), as PIL applies them to 8-bit pixels. */
  fixed: Int32Array;
  stride: number;
}

/**
 * Output pixel `i` (0 ≤ i < outCount) of a resize of the source span [from, from + length) onto
 * `resized` pixels, shifted by `offset` output pixels (a centre crop of the resized image).
 */
export function axisTaps(
  sourceSize: number,
  from: number,
  length: number,
  resized: number,
  offset: number,
  outCount: number,
  filter: ResampleFilter,
): AxisTaps {
  const { support: baseSupport, weight } = filters[filter];
  const scale = length / resized;
  const filterScale = Math.max(1, scale);
  const support = baseSupport * filterScale;
  const stride = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outCount);
  const count = new Int32Array(outCount);
  const weights = new Float64Array(outCount * stride);
  const fixed = new Int32Array(outCount * stride);
  for (let i = 0; i < outCount; i++) {
    const centre = from + (i + offset + 0.5) * scale;
    let lo = Math.max(0, Math.floor(centre - support + 0.5));
    let hi = Math.min(sourceSize, Math.floor(centre + support + 0.5));
    if (hi <= lo) {
      lo = Math.min(sourceSize - 1, Math.max(0, Math.floor(centre)));
      hi = lo + 1;
    }
    let total = 0;
    const n = Math.min(stride, hi - lo);
    for (let k = 0; k < n; k++) {
      const w = weight((lo + k - centre + 0.5) / filterScale);
      weights[i * stride + k] = w;
      total += w;
    }
    if (total === 0) {
      weights[i * stride] = 1;
      total = 1;
    }
    for (let k = 0; k < n; k++) {
      const w = (weights[i * stride + k] as number) / total;
      weights[i * stride + k] = w;
      fixed[i * stride + k] = w < 0 ? Math.trunc(w * ONE - 0.5) : Math.trunc(w * ONE + 0.5);
    }
    start[i] = lo;
    count[i] = n;
  }
  return { start, count, weights, fixed, stride };
}

/**
 * PIL's clip8: a fixed-point sum (rounding half already added) back to an 8-bit level. Sums stay within
 * int32 (255 × 2^22 × the filter's total |weight| < 2^31), so the shift is exact.
 */
const clip8 = (sum: number): number => {
  const level = sum >> PRECISION_BITS;
  return Math.min(255, Math.max(0, level));
};

/**
 * Resamples interleaved 8-bit RGB through two axis tap tables into interleaved RGB levels (as floats,
 * width = columns.start.length, height = rows.start.length), bit for bit as PIL resizes an 8-bit image:
 * fixed-point weights, the horizontal pass first (on the source rows the vertical taps need only) into
 * 8-bit, then the vertical pass into 8-bit. Models trained on PIL/torchvision input see the same levels.
 */
export function resampleTaps(
  data: Uint8Array,
  sourceWidth: number,
  columns: AxisTaps,
  rows: AxisTaps,
): Float32Array {
  const width = columns.start.length;
  const height = rows.start.length;
  const firstRow = rows.start[0] ?? 0;
  let lastRow = firstRow;
  for (let r = 0; r < height; r++) {
    lastRow = Math.max(lastRow, (rows.start[r] as number) + (rows.count[r] as number));
  }
  const span = lastRow - firstRow;
  const horizontal = new Uint8Array(span * width * 3);
  const { start: cs, count: cc, fixed: cw, stride: cStride } = columns;
  for (let y = 0; y < span; y++) {
    const source = (firstRow + y) * sourceWidth * 3;
    let o = y * width * 3;
    for (let x = 0; x < width; x++, o += 3) {
      let r = HALF;
      let g = HALF;
      let b = HALF;
      let p = source + (cs[x] as number) * 3;
      const base = x * cStride;
      const n = cc[x] as number;
      for (let k = 0; k < n; k++, p += 3) {
        const w = cw[base + k] as number;
        r = (r + (data[p] as number) * w) | 0;
        g = (g + (data[p + 1] as number) * w) | 0;
        b = (b + (data[p + 2] as number) * w) | 0;
      }
      horizontal[o] = clip8(r);
      horizontal[o + 1] = clip8(g);
      horizontal[o + 2] = clip8(b);
    }
  }
  const out = new Float32Array(width * height * 3);
  const { start: rs, count: rc, fixed: rw, stride: rStride } = rows;
  const line = width * 3;
  const sums = new Int32Array(line);
  for (let y = 0; y < height; y++) {
    sums.fill(HALF);
    const first = ((rs[y] as number) - firstRow) * line;
    const n = rc[y] as number;
    for (let k = 0; k < n; k++) {
      const w = rw[y * rStride + k] as number;
      const p = first + k * line;
      for (let i = 0; i < line; i++) sums[i] = (sums[i] as number) + (horizontal[p + i] as number) * w;
    }
    const o = y * line;
    for (let i = 0; i < line; i++) out[o + i] = clip8(sums[i] as number);
  }
  return out;
}
