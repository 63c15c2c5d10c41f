/**
 * fastText's supervised pre-processing, exactly: the converter's normalisation, whitespace tokens plus
 * `</s>`, word ids of known words, then one id per adjacent token pair (word bigrams) through the
 * 64-bit hash fastText uses, kept only when the pruned model has that bucket.
 */
export interface FastTextVocab {
  words: string[];
  nwords: number;
  bucket: number;
  prune_keys: number[];
  prune_vals: number[];
  labels: string[];
  eos: string;
}

const FNV_OFFSET = 2166136261;
const FNV_PRIME = 16777619;
const BIGRAM_MULTIPLIER = 116049371;
const encoder = new TextEncoder();

/** fastText's 32-bit FNV-1a: each byte sign-extended as int8 before the XOR. Unsigned result. */
export function fastTextHash(token: string): number {
  let h = FNV_OFFSET;
  for (const byte of encoder.encode(token)) {
    h = Math.imul((h ^ ((byte << 24) >> 24)) >>> 0, FNV_PRIME) >>> 0;
  }
  return h;
}

/** 16-bit limbs (little end first) of a 32-bit hash sign-extended to 64 bits. */
function limbs(hash: number): [number, number, number, number] {
  const high = hash >= 0x80000000 ? 0xffff : 0;
  return [hash & 0xffff, hash >>> 16, high, high];
}

const C0 = BIGRAM_MULTIPLIER & 0xffff;
const C1 = BIGRAM_MULTIPLIER >>> 16;

/** ((sext64(hi) * 116049371 + sext64(hj)) mod 2^64) mod bucket, in doubles that never exceed 2^53. */
export function bigramBucket(hi: number, hj: number, bucket: number): number {
  const [a0, a1, a2, a3] = limbs(hi);
  const [b0, b1, b2, b3] = limbs(hj);
  let carry = a0 * C0 + b0;
  const x0 = carry % 65536;
  carry = Math.floor(carry / 65536) + a1 * C0 + a0 * C1 + b1;
  const x1 = carry % 65536;
  carry = Math.floor(carry / 65536) + a2 * C0 + a1 * C1 + b2;
  const x2 = carry % 65536;
  carry = Math.floor(carry / 65536) + a3 * C0 + a2 * C1 + b3;
  const x3 = carry % 65536;
  let rest = x3 % bucket;
  rest = (rest * 65536 + x2) % bucket;
  rest = (rest * 65536 + x1) % bucket;
  return (rest * 65536 + x0) % bucket;
}

/** fastText's whitespace: space, \t, \n, \v, \f, \r and NUL. */
const isSpace = (code: number) => code === 32 || (code >= 9 && code <= 13) || code === 0;
/** `. , ( ) ! ?` become tokens of their own. */
const isPunctuation = (code: number) =>
  code === 46 || code === 44 || code === 40 || code === 41 || code === 33 || code === 63;
const BR = "<br />";
const TOKEN_CACHE_LIMIT = 200_000;

/** fastTextHash over a JS string without allocating its UTF-8 bytes. */
function hashChars(token: string): number {
  let h = FNV_OFFSET;
  const step = (byte: number) => {
    h = Math.imul((h ^ ((byte << 24) >> 24)) >>> 0, FNV_PRIME) >>> 0;
  };
  for (let i = 0; i < token.length; i++) {
    let code = token.charCodeAt(i);
    if (code < 0x80) {
      step(code);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < token.length) {
      const low = token.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      } else code = 0xfffd;
    } else if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x800) {
      step(0xc0 | (code >> 6));
    } else if (code < 0x10000) {
      step(0xe0 | (code >> 12));
      step(0x80 | ((code >> 6) & 0x3f));
    } else {
      step(0xf0 | (code >> 18));
      step(0x80 | ((code >> 12) & 0x3f));
      step(0x80 | ((code >> 6) & 0x3f));
    }
    if (code >= 0x80) step(0x80 | (code & 0x3f));
  }
  return h;
}

/**
 * The tokens of a text after the converter's normalisation: lowercase; `<br />` is a space; `'` and
 * `. , ( ) ! ?` stand alone; `"` is dropped; `;`, `:` and whitespace separate. One pass over the text,
 * equal to applying those rules as successive replacements and splitting on whitespace.
 */
export function fastTextTokens(text: string, eos: string): string[] {
  const lower = text.toLowerCase();
  const tokens: string[] = [];
  let current = "";
  let start = -1;
  const flush = (end: number) => {
    if (start >= 0) current += lower.slice(start, end);
    if (current !== "") tokens.push(current);
    current = "";
    start = -1;
  };
  for (let i = 0; i < lower.length; i++) {
    const code = lower.charCodeAt(i);
    if (code === 60 && lower.startsWith(BR, i)) {
      flush(i);
      i += BR.length - 1;
    } else if (code === 39 || isPunctuation(code)) {
      flush(i);
      tokens.push(lower[i] as string);
    } else if (code === 34) {
      if (start >= 0) current += lower.slice(start, i);
      start = -1;
    } else if (code === 59 || code === 58 || isSpace(code)) {
      flush(i);
    } else if (start < 0) start = i;
  }
  flush(lower.length);
  tokens.push(eos);
  return tokens;
}

/** A token's word id (-1 if unknown), its hash, and sext64(hash) * 116049371 mod 2^64 as two halves. */
interface TokenEntry {
  id: number;
  hash: number;
  productHigh: number;
  productLow: number;
}

const TWO_32 = 2 ** 32;

function entryOf(id: number, hash: number): TokenEntry {
  const product = BigInt.asUintN(64, BigInt.asIntN(32, BigInt(hash)) * BigInt(BIGRAM_MULTIPLIER));
  return { id, hash, productHigh: Number(product >> 32n), productLow: Number(product & 0xffffffffn) };
}

export class FastTextTokenizer {
  /** Known words, then other tokens as they are met (bounded: unknown ones are dropped when full). */
  private readonly entries = new Map<string, TokenEntry>();
  /** 2^32 mod bucket. */
  private readonly highWeight: number;

  private constructor(
    private readonly vocab: FastTextVocab,
    /** Bigram bucket -> row + 1 (0 = pruned away): one typed-array read per bigram. */
    private readonly pruned: Int32Array,
  ) {
    vocab.words.forEach((word, index) => {
      this.entries.set(word, entryOf(index, hashChars(word)));
    });
    this.highWeight = TWO_32 % vocab.bucket;
  }

  static fromJson(json: unknown): FastTextTokenizer {
    const vocab = json as Partial<FastTextVocab>;
    const valid =
      Array.isArray(vocab.words) &&
      Array.isArray(vocab.prune_keys) &&
      Array.isArray(vocab.prune_vals) &&
      vocab.prune_keys.length === vocab.prune_vals.length &&
      Number.isInteger(Number(vocab.bucket)) &&
      typeof vocab.eos === "string" &&
      Number(vocab.nwords) === vocab.words.length;
    if (!valid)
      throw new Error("fastText vocab.json needs words, nwords, bucket, prune_keys, prune_vals, eos");
    const full = { ...(vocab as FastTextVocab), nwords: Number(vocab.nwords), bucket: Number(vocab.bucket) };
    const pruned = new Int32Array(full.bucket);
    full.prune_keys.forEach((key, index) => {
      pruned[key] = (full.prune_vals[index] as number) + 1;
    });
    return new FastTextTokenizer(full, pruned);
  }

  tokens(text: string): string[] {
    return fastTextTokens(text, this.vocab.eos);
  }

  private lookup(token: string): TokenEntry {
    const found = this.entries.get(token);
    if (found) return found;
    const entry = entryOf(-1, hashChars(token));
    if (this.entries.size < this.vocab.nwords + TOKEN_CACHE_LIMIT) this.entries.set(token, entry);
    return entry;
  }

  /** bigramBucket(first.hash, second.hash) from first's cached product: two float mods, no BigInt. */
  private bucketOf(first: TokenEntry, second: TokenEntry): number {
    let low = first.productLow + second.hash;
    const carry = low >= TWO_32 ? 1 : 0;
    low -= carry * TWO_32;
    const high = (first.productHigh + (second.hash >= 0x80000000 ? 0xffffffff : 0) + carry) % TWO_32;
    const { bucket } = this.vocab;
    return ((((high % bucket) * this.highWeight) % bucket) + low) % bucket;
  }

  /** Word ids of the known tokens in order, then the ids of the pruned bigram buckets in order. */
  ids(text: string): number[] {
    const tokens = this.tokens(text);
    const ids: number[] = [];
    const entries = new Array<TokenEntry>(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const entry = this.lookup(tokens[i] as string);
      entries[i] = entry;
      if (entry.id >= 0) ids.push(entry.id);
    }
    const { nwords } = this.vocab;
    for (let i = 0; i + 1 < entries.length; i++) {
      const row = this.pruned[
        this.bucketOf(entries[i] as TokenEntry, entries[i + 1] as TokenEntry)
      ] as number;
      if (row > 0) ids.push(nwords + row - 1);
    }
    return ids;
  }
}
