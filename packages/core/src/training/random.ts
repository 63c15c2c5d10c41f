/** Seeded randomness: the same seed gives the same split, the same initial factors and the same model. */

/** mulberry32: a small 32-bit generator, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Standard normal draws (Box–Muller) from a uniform generator. */
export function gaussian(random: () => number): () => number {
  return () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

/** Fisher–Yates, in place, over a typed array of indices. */
export function shuffleInPlace(values: Int32Array, random: () => number): Int32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = values[i] as number;
    values[i] = values[j] as number;
    values[j] = swap;
  }
  return values;
}

/** A matrix of `rows × columns` draws from N(0, scale²), row-major. */
export function randomMatrix(rows: number, columns: number, scale: number, seed: number): Float32Array {
  const normal = gaussian(seededRandom(seed));
  const out = new Float32Array(rows * columns);
  for (let i = 0; i < out.length; i++) out[i] = normal() * scale;
  return out;
}
