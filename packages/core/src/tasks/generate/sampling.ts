export interface SamplingOptions {
  /** 0 = greedy (argmax). */
  temperature: number;
  /** Keep the k most likely tokens; 0 = all. */
  topK: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p; 1 = all. */
  topP: number;
  /** > 1 discourages tokens already in the prompt or the completion (as transformers applies it). */
  repetitionPenalty: number;
}

/** Scores this far below the best (in units of temperature) have probability below e^-30: never drawn. */
const NEGLIGIBLE = 30;

function argmax(scores: Float32Array): number {
  let best = 0;
  for (let index = 1; index < scores.length; index += 1) {
    if ((scores[index] as number) > (scores[best] as number)) best = index;
  }
  return best;
}

/**
 * The next token from one row's logits: repetition penalty on `seen` tokens, then greedy, or
 * temperature → top-k → softmax → top-p → one draw of `random`. `logits` is not modified.
 */
export function chooseToken(
  logits: Float32Array,
  seen: Uint8Array,
  options: SamplingOptions,
  random: () => number,
): number {
  const scores = Float32Array.from(logits);
  if (options.repetitionPenalty !== 1) {
    for (let id = 0; id < scores.length; id += 1) {
      if (!seen[id]) continue;
      const score = scores[id] as number;
      scores[id] = score > 0 ? score / options.repetitionPenalty : score * options.repetitionPenalty;
    }
  }
  const best = argmax(scores);
  if (options.temperature === 0) return best;
  const floor = (scores[best] as number) - NEGLIGIBLE * options.temperature;
  let candidates: number[] = [];
  for (let id = 0; id < scores.length; id += 1) if ((scores[id] as number) >= floor) candidates.push(id);
  candidates.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  if (options.topK > 0) candidates = candidates.slice(0, options.topK);
  const top = scores[best] as number;
  const weights = candidates.map((id) => Math.exp(((scores[id] as number) - top) / options.temperature));
  let total = weights.reduce((sum, weight) => sum + weight, 0);
  if (options.topP < 1) {
    let kept = 0;
    let mass = 0;
    while (kept < weights.length && mass < options.topP * total) {
      mass += weights[kept] as number;
      kept += 1;
    }
    candidates = candidates.slice(0, Math.max(1, kept));
    weights.length = candidates.length;
    total = weights.reduce((sum, weight) => sum + weight, 0);
  }
  let draw = random() * total;
  for (let index = 0; index < candidates.length; index += 1) {
    draw -= weights[index] as number;
    if (draw < 0) return candidates[index] as number;
  }
  return candidates.at(-1) as number;
}
