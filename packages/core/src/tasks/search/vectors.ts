/** Exact nearest neighbours by cosine over a row-major Float32Array of L2-normalised vectors. */

export interface Scored {
  doc: number;
  score: number;
}

/**
 * The k best (doc, score) pairs offered, in a bounded min-heap whose root is the worst kept, so n offers
 * cost O(n log k). Among equal scores the lower doc wins, whatever the order of the offers.
 */
export class TopK {
  private readonly docs: Float64Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(readonly k: number) {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, not ${k}`);
    this.docs = new Float64Array(k);
    this.scores = new Float64Array(k);
  }

  offer(doc: number, score: number): void {
    if (this.size < this.k) {
      this.docs[this.size] = doc;
      this.scores[this.size] = score;
      this.siftUp(this.size++);
    } else if (this.k > 0 && this.beats(doc, score, 0)) {
      this.docs[0] = doc;
      this.scores[0] = score;
      this.siftDown(0);
    }
  }

  /** What was kept, best first. */
  results(): Scored[] {
    const kept: Scored[] = [];
    for (let i = 0; i < this.size; i++)
      kept.push({ doc: this.docs[i] as number, score: this.scores[i] as number });
    return kept.sort((a, b) => b.score - a.score || a.doc - b.doc);
  }

  /** Whether (doc, score) ranks above the entry at heap position i. */
  private beats(doc: number, score: number, i: number): boolean {
    const other = this.scores[i] as number;
    return score > other || (score === other && doc < (this.docs[i] as number));
  }

  private swap(i: number, j: number): void {
    const [doc, score] = [this.docs[i] as number, this.scores[i] as number];
    this.docs[i] = this.docs[j] as number;
    this.scores[i] = this.scores[j] as number;
    this.docs[j] = doc;
    this.scores[j] = score;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.beats(this.docs[parent] as number, this.scores[parent] as number, i)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      let worst = i;
      for (const child of [2 * i + 1, 2 * i + 2]) {
        if (child < this.size && this.beats(this.docs[worst] as number, this.scores[worst] as number, child))
          worst = child;
      }
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }
}

/** A unit-length copy of a vector (the zero vector stays zero). */
export function normalise(vector: Float32Array): Float32Array {
  return normaliseRows(Float32Array.from(vector), vector.length);
}

/** Scales every row of a row-major [n, dimension] matrix to unit length, in place; returns the matrix. */
export function normaliseRows(matrix: Float32Array, dimension: number): Float32Array {
  for (let base = 0; base + dimension <= matrix.length && dimension > 0; base += dimension) {
    let squares = 0;
    for (let j = base; j < base + dimension; j++) squares += (matrix[j] as number) ** 2;
    const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
    for (let j = base; j < base + dimension; j++) matrix[j] = (matrix[j] as number) * scale;
  }
  return matrix;
}

/** Rows in a row-major [n, dimension] matrix. */
export function rowCount(matrix: Float32Array, dimension: number): number {
  if (dimension <= 0 || matrix.length % dimension !== 0) {
    throw new RangeError(`a matrix of ${matrix.length} numbers has no rows of dimension ${dimension}`);
  }
  return matrix.length / dimension;
}

/**
 * The k rows most similar to `query` by dot product (the cosine, when rows and query are unit length),
 * best first, ties to the lower row; rows failing `allow` are skipped. Exact: every row is scored.
 */
export function topKByCosine(
  vectors: Float32Array,
  dimension: number,
  query: Float32Array,
  k: number,
  allow?: (doc: number) => boolean,
): Scored[] {
  if (query.length !== dimension) throw new RangeError(`query has ${query.length} numbers, not ${dimension}`);
  const count = rowCount(vectors, dimension);
  const top = new TopK(k);
  for (let doc = 0, base = 0; doc < count; doc++, base += dimension) {
    if (allow && !allow(doc)) continue;
    let dot = 0;
    for (let j = 0; j < dimension; j++) dot += (vectors[base + j] as number) * (query[j] as number);
    top.offer(doc, dot);
  }
  return top.results();
}
