/**
 * The serialised search index, one binary blob (the items themselves are stored beside it as JSON, in
 * doc order, `header.count` of them):
 *
 *   bytes 0-3   "MQSI"
 *   bytes 4-7   header length H, uint32 little-endian
 *   bytes 8-    header, UTF-8 JSON (IndexHeader), zero-padded to a multiple of 8 bytes: the body starts there
 *   body        the sections, in this order, each at a multiple of 8 bytes from the body start:
 *               vectors      float32 [count × dimension], row-major, L2-normalised
 *               termOffsets  uint32 [terms + 1]   postings of term t: termOffsets[t] .. termOffsets[t + 1]
 *               postingDocs  uint32 [postings]    doc ids, ascending within a term
 *               postingFreqs float32 [postings]   boosted term frequencies
 *               docLengths   float32 [count]      boosted document lengths
 *               vocabulary   UTF-8, the terms joined by "\n" (terms never contain one)
 *
 * Numbers are little-endian. Decoding makes views over the blob (no copy unless it is misaligned), so a
 * 100,000-item index loads in the time it takes to check it.
 */
import { KeywordIndex, type KeywordIndexData } from "./keywords.js";
import { rowCount } from "./vectors.js";

export const INDEX_FORMAT_VERSION = 1;
const MAGIC = "MQSI";
const SECTIONS = [
  "vectors",
  "termOffsets",
  "postingDocs",
  "postingFreqs",
  "docLengths",
  "vocabulary",
] as const;
type SectionName = (typeof SECTIONS)[number];

export interface IndexHeader {
  format: "marquee-search-index";
  version: number;
  count: number;
  dimension: number;
  vectorType: "float32";
  terms: number;
  model: { id: string; version: string };
  textFields: string[];
  builtAt: string;
  /** Where each section lies, in bytes from the start of the body. */
  sections: Record<SectionName, { offset: number; bytes: number }>;
}

export interface DecodedIndex {
  header: IndexHeader;
  vectors: Float32Array;
  keywords: KeywordIndex;
}

const pad8 = (n: number) => Math.ceil(n / 8) * 8;
const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const bytesOf = (array: ArrayBufferView) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

export function encodeIndex(input: {
  vectors: Float32Array;
  dimension: number;
  keywords: KeywordIndex | KeywordIndexData;
  model: { id: string; version: string };
  textFields: readonly string[];
  builtAt?: string;
}): Uint8Array {
  if (!littleEndian) throw new Error("Search indexes are little-endian; this machine is not");
  const keywords = input.keywords instanceof KeywordIndex ? input.keywords.data : input.keywords;
  const count = keywords.lengths.length;
  if (rowCount(input.vectors, input.dimension) !== count) {
    throw new RangeError(`${rowCount(input.vectors, input.dimension)} vectors for ${count} documents`);
  }
  const parts: Record<SectionName, Uint8Array> = {
    vectors: bytesOf(input.vectors),
    termOffsets: bytesOf(keywords.offsets),
    postingDocs: bytesOf(keywords.docs),
    postingFreqs: bytesOf(keywords.freqs),
    docLengths: bytesOf(keywords.lengths),
    vocabulary: new TextEncoder().encode(keywords.terms.join("\n")),
  };
  const sections = {} as IndexHeader["sections"];
  let bodyLength = 0;
  for (const name of SECTIONS) {
    sections[name] = { offset: bodyLength, bytes: parts[name].byteLength };
    bodyLength = pad8(bodyLength + parts[name].byteLength);
  }
  const header: IndexHeader = {
    format: "marquee-search-index",
    version: INDEX_FORMAT_VERSION,
    count,
    dimension: input.dimension,
    vectorType: "float32",
    terms: keywords.terms.length,
    model: { id: input.model.id, version: input.model.version },
    textFields: [...input.textFields],
    builtAt: input.builtAt ?? new Date().toISOString(),
    sections,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const bodyStart = pad8(8 + headerBytes.byteLength);
  const blob = new Uint8Array(bodyStart + bodyLength);
  blob.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(blob.buffer).setUint32(4, headerBytes.byteLength, true);
  blob.set(headerBytes, 8);
  for (const name of SECTIONS) blob.set(parts[name], bodyStart + sections[name].offset);
  return blob;
}

const corrupt = (why: string) => new Error(`Not a valid search index (${why}): rebuild it`);

function readHeader(blob: Uint8Array): { header: IndexHeader; bodyStart: number } {
  if (blob.byteLength < 8 || new TextDecoder().decode(blob.subarray(0, 4)) !== MAGIC) {
    throw corrupt(`it does not start with "${MAGIC}"`);
  }
  const length = new DataView(blob.buffer, blob.byteOffset).getUint32(4, true);
  if (8 + length > blob.byteLength) throw corrupt("the header runs past the end");
  let header: IndexHeader;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(blob.subarray(8, 8 + length)));
  } catch {
    throw corrupt("the header is not JSON");
  }
  if (header?.format !== "marquee-search-index") throw corrupt("the header names another format");
  if (header.version !== INDEX_FORMAT_VERSION) {
    throw new Error(
      `Search index format ${header.version} is not supported (this code reads ${INDEX_FORMAT_VERSION}): rebuild it`,
    );
  }
  return { header, bodyStart: pad8(8 + length) };
}

export function decodeIndex(bytes: Uint8Array): DecodedIndex {
  if (!littleEndian) throw new Error("Search indexes are little-endian; this machine is not");
  const blob = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
  const { header, bodyStart } = readHeader(blob);
  const { count, dimension, terms } = header;
  if (![count, dimension, terms].every((n) => Number.isInteger(n) && n >= 0)) throw corrupt("bad sizes");
  /** Where a section's bytes start in the blob, once its place and size (`elements` × 4 bytes) check out. */
  const place = (name: SectionName, elements?: number) => {
    const { offset, bytes: length } = header.sections?.[name] ?? {};
    const at = bodyStart + Number(offset);
    const fits =
      Number.isInteger(at) && at % 8 === 0 && Number(length) >= 0 && at + Number(length) <= blob.byteLength;
    if (!fits || (elements !== undefined && length !== elements * 4))
      throw corrupt(`section ${name} is out of place`);
    return blob.byteOffset + at;
  };
  const { buffer } = blob;
  const vectors = new Float32Array(buffer, place("vectors", count * dimension), count * dimension);
  const offsets = new Uint32Array(buffer, place("termOffsets", terms + 1), terms + 1);
  const postings = offsets[terms] as number;
  const docs = new Uint32Array(buffer, place("postingDocs", postings), postings);
  const freqs = new Float32Array(buffer, place("postingFreqs", postings), postings);
  const lengths = new Float32Array(buffer, place("docLengths", count), count);
  const vocabulary = new Uint8Array(buffer, place("vocabulary"), header.sections.vocabulary.bytes);
  const words = vocabulary.byteLength === 0 ? [] : new TextDecoder().decode(vocabulary).split("\n");
  if (words.length !== terms || offsets[0] !== 0) throw corrupt("the vocabulary does not match its postings");
  for (let t = 0; t < terms; t++) {
    if ((offsets[t] as number) > (offsets[t + 1] as number)) throw corrupt("postings out of order");
  }
  for (const doc of docs) if (doc >= count) throw corrupt("a posting names a missing document");
  return { header, vectors, keywords: new KeywordIndex({ terms: words, offsets, docs, freqs, lengths }) };
}
