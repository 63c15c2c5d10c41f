/**
 * The sampler's random numbers: sfc32 (Chris Doty-Humphrey's Small Fast Counter, 32-bit state words),
 * seeded by splitmix32 from the request's `seed` and the completion's index, so completion i of a
 * request always draws the same sequence, in any process. One draw per sampled token: u = next / 2^32.
 */
function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function seededRandom(seed: number, stream: number): () => number {
  const mix = splitmix32(seed ^ Math.imul(stream + 1, 0x27d4eb2f));
  let a = mix();
  let b = mix();
  let c = mix();
  let counter = 1;
  const next = () => {
    const t = (((a + b) >>> 0) + counter) >>> 0;
    counter = (counter + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let warm = 0; warm < 12; warm += 1) next();
  return () => next() / 4294967296;
}
