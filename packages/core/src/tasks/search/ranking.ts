export interface Ranked {
  doc: number;
  score: number;
}

/**
 * The k best of (doc, score) pairs, best first, through a bounded min-heap (no full sort of n scores).
 * Ties go to the lower document index, so results are deterministic.
 */
export function topK(candidates: Iterable<Ranked>, k: number): Ranked[] {
  const heap: Ranked[] = [];
  const worse = (a: Ranked, b: Ranked) => a.score < b.score || (a.score === b.score && a.doc > b.doc);
  const swap = (i: number, j: number) => {
    [heap[i], heap[j]] = [heap[j] as Ranked, heap[i] as Ranked];
  };
  for (const candidate of candidates) {
    if (heap.length < k) {
      heap.push(candidate);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i] as Ranked, heap[parent] as Ranked)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (k > 0 && worse(heap[0] as Ranked, candidate)) {
      heap[0] = candidate;
      for (let i = 0; ; ) {
        const [left, right] = [2 * i + 1, 2 * i + 2];
        let least = i;
        if (left < heap.length && worse(heap[left] as Ranked, heap[least] as Ranked)) least = left;
        if (right < heap.length && worse(heap[right] as Ranked, heap[least] as Ranked)) least = right;
        if (least === i) break;
        swap(i, least);
        i = least;
      }
    }
  }
  return heap.sort((a, b) => b.score - a.score || a.doc - b.doc);
}

/** Cosine of a normalised query against every normalised row of `vectors` [n, d], lazily. */
export function* cosineScores(
  vectors: Float32Array,
  dimensions: number,
  query: Float32Array,
  allow?: Uint8Array,
) {
  const count = dimensions > 0 ? vectors.length / dimensions : 0;
  for (let doc = 0; doc < count; doc++) {
    if (allow && !allow[doc]) continue;
    let dot = 0;
    const base = doc * dimensions;
    for (let d = 0; d < dimensions; d++) dot += (vectors[base + d] as number) * (query[d] as number);
    yield { doc, score: dot };
  }
}

/** Reciprocal rank fusion constant (Cormack et al. 2009): a document ranked r adds 1 / (60 + r). */
export const RRF_K = 60;

/** Fuses rankings by reciprocal rank: scores are sums of 1 / (60 + rank), at most lists / 61. */
export function fuse(lists: Record<string, Ranked[]>, k: number) {
  const fused = new Map<number, { score: number; ranks: Record<string, number> }>();
  for (const [name, list] of Object.entries(lists)) {
    list.forEach(({ doc }, index) => {
      const entry = fused.get(doc) ?? { score: 0, ranks: {} };
      entry.score += 1 / (RRF_K + index + 1);
      entry.ranks[name] = index + 1;
      fused.set(doc, entry);
    });
  }
  return topK(
    [...fused].map(([doc, { score }]) => ({ doc, score })),
    k,
  ).map((ranked) => ({ ...ranked, ranks: fused.get(ranked.doc)?.ranks ?? {} }));
}
