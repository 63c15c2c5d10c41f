/**
 * Keyword search: an English analyser and an Okapi BM25 index (k1 1.2, b 0.75, Lucene's idf) with
 * postings, so a query touches only the documents that contain one of its terms.
 */
import { type Scored, TopK } from "./vectors.js";

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
/** Term-frequency multiplier per field position: by default the first field (the title) counts twice. */
export const DEFAULT_FIELD_BOOSTS: readonly number[] = [2];

// "s" and "t" are what is left of "hero's" and "don't" once apostrophes split words.
const STOP_WORDS = new Set(
  (
    "a an and are as at be but by for from had has have he her his i if in into is it its not of on or s " +
    "she so t that the their them then there they this to was were what when which who will with"
  ).split(" "),
);

/** Folds English plurals: "heists" → "heist", "stories" → "story", "boxes" → "box"; "bus" stays. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith("sses")) return word.slice(0, -2);
  if (/(?:ches|shes|xes|zes)$/.test(word)) return word.slice(0, -2);
  if (/(?:ss|us|is)$/.test(word)) return word;
  return word.endsWith("s") ? word.slice(0, -1) : word;
}

/** Terms of a text: diacritics removed (café → cafe), lowercased, split on non-letters/digits, stop words out, stemmed. */
export function analyse(text: string): string[] {
  const words = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u);
  const terms: string[] = [];
  for (const word of words) if (word !== "" && !STOP_WORDS.has(word)) terms.push(stem(word));
  return terms;
}

/** The index as typed arrays: what the codec stores. */
export interface KeywordIndexData {
  /** The vocabulary; term t's postings are docs[offsets[t] .. offsets[t + 1]), ascending doc ids. */
  terms: string[];
  offsets: Uint32Array;
  docs: Uint32Array;
  /** Boosted term frequency of each posting. */
  freqs: Float32Array;
  /** Boosted length (term count) of each document. */
  lengths: Float32Array;
}

export class KeywordIndex {
  private readonly termIds: Map<string, number>;
  private readonly averageLength: number;
  private scratch: { scores: Float64Array; touched: Uint32Array } | undefined;

  constructor(readonly data: KeywordIndexData) {
    this.termIds = new Map(data.terms.map((term, id) => [term, id]));
    let total = 0;
    for (const length of data.lengths) total += length;
    this.averageLength = total > 0 ? total / data.lengths.length : 1;
  }

  /** Each document is its text fields in order; `boosts[i]` multiplies field i's term counts (default 1). */
  static build(
    documents: ReadonlyArray<ReadonlyArray<string>>,
    { boosts = DEFAULT_FIELD_BOOSTS }: { boosts?: readonly number[] } = {},
  ): KeywordIndex {
    const termIds = new Map<string, number>();
    const terms: string[] = [];
    const lengths = new Float32Array(documents.length);
    const docEnds = new Uint32Array(documents.length);
    const pairTerms: number[] = [];
    const pairFreqs: number[] = [];
    const counts = new Map<number, number>();
    documents.forEach((fields, doc) => {
      counts.clear();
      let length = 0;
      fields.forEach((text, position) => {
        const boost = boosts[position] ?? 1;
        if (!(boost > 0)) return;
        for (const term of analyse(text)) {
          let id = termIds.get(term);
          if (id === undefined) {
            id = terms.push(term) - 1;
            termIds.set(term, id);
          }
          counts.set(id, (counts.get(id) ?? 0) + boost);
          length += boost;
        }
      });
      for (const [id, freq] of counts) {
        pairTerms.push(id);
        pairFreqs.push(freq);
      }
      lengths[doc] = length;
      docEnds[doc] = pairTerms.length;
    });
    // Counting sort of the (doc, term) pairs by term; docs are visited in order, so postings stay sorted.
    const offsets = new Uint32Array(terms.length + 1);
    for (const id of pairTerms) offsets[id + 1] = (offsets[id + 1] as number) + 1;
    for (let t = 0; t < terms.length; t++)
      offsets[t + 1] = (offsets[t + 1] as number) + (offsets[t] as number);
    const cursor = offsets.slice(0, terms.length);
    const docs = new Uint32Array(pairTerms.length);
    const freqs = new Float32Array(pairTerms.length);
    for (let doc = 0, pair = 0; doc < documents.length; doc++) {
      for (const end = docEnds[doc] as number; pair < end; pair++) {
        const id = pairTerms[pair] as number;
        const at = cursor[id] as number;
        cursor[id] = at + 1;
        docs[at] = doc;
        freqs[at] = pairFreqs[pair] as number;
      }
    }
    return new KeywordIndex({ terms, offsets, docs, freqs, lengths });
  }

  get size(): number {
    return this.data.lengths.length;
  }

  /** Inverse document frequency, Lucene's: ln(1 + (N − df + 0.5) / (df + 0.5)), always > 0. */
  idf(documentFrequency: number): number {
    return Math.log(1 + (this.size - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  /** The k best documents containing a query term, best first; ties go to the lower doc. Repeated query terms count once. */
  search(query: string, k: number, allow?: (doc: number) => boolean): Scored[] {
    const { offsets, docs, freqs, lengths } = this.data;
    this.scratch ??= { scores: new Float64Array(this.size), touched: new Uint32Array(this.size) };
    const { scores, touched } = this.scratch;
    let touchedCount = 0;
    const top = new TopK(k);
    try {
      for (const term of new Set(analyse(query))) {
        const t = this.termIds.get(term);
        if (t === undefined) continue;
        const start = offsets[t] as number;
        const end = offsets[t + 1] as number;
        const idf = this.idf(end - start);
        for (let at = start; at < end; at++) {
          const doc = docs[at] as number;
          if (allow && !allow(doc)) continue;
          const tf = freqs[at] as number;
          const norm = tf + BM25_K1 * (1 - BM25_B + (BM25_B * (lengths[doc] as number)) / this.averageLength);
          // Every posting adds a positive amount, so a zero score means "not seen yet".
          if (scores[doc] === 0) touched[touchedCount++] = doc;
          scores[doc] = (scores[doc] as number) + (idf * tf * (BM25_K1 + 1)) / norm;
        }
      }
      for (let i = 0; i < touchedCount; i++)
        top.offer(touched[i] as number, scores[touched[i] as number] as number);
    } finally {
      for (let i = 0; i < touchedCount; i++) scores[touched[i] as number] = 0;
    }
    return top.results();
  }
}
