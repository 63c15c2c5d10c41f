/**
 * Keyword ranking: Okapi BM25 (k1 1.2, b 0.75, Lucene's idf) over analysed terms, with postings so a
 * query touches only the documents that contain its terms.
 */
const STOP_WORDS = new Set(
  "a an and are as at be but by for from has have he her his i in into is it its of on or she that the their them they this to was were which who will with".split(
    " ",
  ),
);

/** A light English stemmer: folds plurals and a few inflections, so "heists" finds "heist". */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(ches|shes|xes|zes|sses)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s")) return word.slice(0, -1);
  return word;
}

/** Lowercase, accents removed (café = cafe), split on anything but letters and digits, stop words out, stemmed. */
export function analyse(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "" && !STOP_WORDS.has(word))
    .map(stem);
}

export interface Bm25Data {
  terms: string[];
  /** Postings of term t: docs[offsets[t] .. offsets[t + 1]) with their (boosted) term frequencies. */
  offsets: Uint32Array;
  docs: Uint32Array;
  freqs: Float32Array;
  lengths: Float32Array;
}

const K1 = 1.2;
const B = 0.75;

/** Builds the index: each document is a list of fields, each with a boost (its terms count that many times). */
export function buildBm25(
  documents: ReadonlyArray<ReadonlyArray<{ text: string; boost: number }>>,
): Bm25Data {
  const postings = new Map<string, Map<number, number>>();
  const lengths = new Float32Array(documents.length);
  documents.forEach((fields, doc) => {
    for (const { text, boost } of fields) {
      for (const term of analyse(text)) {
        let list = postings.get(term);
        if (!list) {
          list = new Map();
          postings.set(term, list);
        }
        list.set(doc, (list.get(doc) ?? 0) + boost);
        lengths[doc] = (lengths[doc] as number) + boost;
      }
    }
  });
  const terms = [...postings.keys()].sort();
  const offsets = new Uint32Array(terms.length + 1);
  let total = 0;
  terms.forEach((term, index) => {
    offsets[index] = total;
    total += postings.get(term)?.size ?? 0;
  });
  offsets[terms.length] = total;
  const docs = new Uint32Array(total);
  const freqs = new Float32Array(total);
  terms.forEach((term, index) => {
    let at = offsets[index] as number;
    for (const [doc, freq] of [...(postings.get(term) ?? [])].sort(([a], [b]) => a - b)) {
      docs[at] = doc;
      freqs[at++] = freq;
    }
  });
  return { terms, offsets, docs, freqs, lengths };
}

export class Bm25 {
  private readonly termIndex: Map<string, number>;
  private readonly averageLength: number;

  constructor(readonly data: Bm25Data) {
    this.termIndex = new Map(data.terms.map((term, index) => [term, index]));
    const total = data.lengths.reduce((sum, length) => sum + length, 0);
    this.averageLength = data.lengths.length > 0 ? total / data.lengths.length || 1 : 1;
  }

  /** Scores of every document that contains a query term (others score 0), as [doc, score] pairs. */
  scores(query: string, allow?: Uint8Array): Map<number, number> {
    const { offsets, docs, freqs, lengths } = this.data;
    const n = lengths.length;
    const scores = new Map<number, number>();
    for (const term of new Set(analyse(query))) {
      const t = this.termIndex.get(term);
      if (t === undefined) continue;
      const [start, end] = [offsets[t] as number, offsets[t + 1] as number];
      const df = end - start;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let at = start; at < end; at++) {
        const doc = docs[at] as number;
        if (allow && !allow[doc]) continue;
        const tf = freqs[at] as number;
        const norm = tf + K1 * (1 - B + (B * (lengths[doc] as number)) / this.averageLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (K1 + 1)) / norm);
      }
    }
    return scores;
  }
}
