import { Bm25, type Bm25Data, buildBm25 } from "./bm25.js";
import { allowMask, type Filters } from "./item-filters.js";
import { cosineScores, fuse, type Ranked, topK } from "./ranking.js";

export type SearchMode = "hybrid" | "semantic" | "keyword";
type Item = { id: string } & Record<string, unknown>;

/** The first text field (usually the title) counts twice in keyword ranking. */
const FIRST_FIELD_BOOST = 2;
/** Each ranking contributes its top max(k, this) to hybrid fusion. */
const FUSION_DEPTH = 100;
const MAGIC = "MQIX";
const FORMAT_VERSION = 1;

interface Header {
  format: number;
  count: number;
  dimensions: number;
  fields: string[];
  model: { id: string; version: string };
  builtAt: string;
  terms: string[];
  /** Byte offset and element count of each typed section, in file order. */
  sections: Record<"vectors" | "offsets" | "docs" | "freqs" | "lengths" | "items", [number, number]>;
}

export interface CatalogIndex {
  items: Item[];
  dimensions: number;
  allowMask(filters: Filters): Uint8Array;
  rank(
    queryVector: Float32Array | undefined,
    query: string,
    options: { k: number; mode: SearchMode; allow: Uint8Array | undefined },
  ): Array<Ranked & { ranks: Record<string, number> }>;
}

/**
 * One binary blob: "MQIX", a little-endian u32 header length, the JSON header, then 4-byte-aligned
 * sections: float32 vectors [n, d], the BM25 postings (u32 offsets, u32 docs, f32 freqs, f32 lengths),
 * and the items as UTF-8 JSON.
 */
export function encodeCatalog(input: {
  items: readonly Item[];
  vectors: readonly Float32Array[];
  fields: readonly string[];
  model: { id: string; version: string };
  builtAt: string;
  fieldText: (value: unknown) => string;
}): Uint8Array {
  const dimensions = input.vectors[0]?.length ?? 0;
  const vectors = new Float32Array(input.items.length * dimensions);
  input.vectors.forEach((vector, index) => {
    vectors.set(vector, index * dimensions);
  });
  const bm25 = buildBm25(
    input.items.map((item) =>
      input.fields.map((field, position) => ({
        text: input.fieldText(item[field]),
        boost: position === 0 ? FIRST_FIELD_BOOST : 1,
      })),
    ),
  );
  const items = new TextEncoder().encode(JSON.stringify(input.items));
  const parts: Array<[keyof Header["sections"], Uint8Array, number]> = [
    ["vectors", new Uint8Array(vectors.buffer), vectors.length],
    ["offsets", new Uint8Array(bm25.offsets.buffer), bm25.offsets.length],
    ["docs", new Uint8Array(bm25.docs.buffer), bm25.docs.length],
    ["freqs", new Uint8Array(bm25.freqs.buffer), bm25.freqs.length],
    ["lengths", new Uint8Array(bm25.lengths.buffer), bm25.lengths.length],
    ["items", items, items.length],
  ];
  const sections = {} as Header["sections"];
  let offset = 0;
  for (const [name, bytes, count] of parts) {
    sections[name] = [offset, count];
    offset += Math.ceil(bytes.length / 4) * 4;
  }
  const header: Header = {
    format: FORMAT_VERSION,
    count: input.items.length,
    dimensions,
    fields: [...input.fields],
    model: input.model,
    builtAt: input.builtAt,
    terms: bm25.terms,
    sections,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((8 + headerBytes.length) / 4) * 4;
  const out = new Uint8Array(start + offset);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  for (const [name, bytes] of parts) out.set(bytes, start + sections[name][0]);
  return out;
}

export function decodeCatalog(bytes: Uint8Array): CatalogIndex {
  const corrupt = (why: string) => new Error(`Not a Marquee catalogue index (${why})`);
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw corrupt("magic");
  const copy = new Uint8Array(bytes);
  const length = new DataView(copy.buffer).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(copy.subarray(8, 8 + length))) as Header;
  if (header.format !== FORMAT_VERSION) throw corrupt(`format ${header.format}`);
  const start = Math.ceil((8 + length) / 4) * 4;
  const section = (name: keyof Header["sections"]) =>
    [start + header.sections[name][0], header.sections[name][1]] as const;
  const [vAt, vCount] = section("vectors");
  const vectors = new Float32Array(copy.buffer, vAt, vCount);
  const u32 = (name: "offsets" | "docs") => new Uint32Array(copy.buffer, ...section(name));
  const f32 = (name: "freqs" | "lengths") => new Float32Array(copy.buffer, ...section(name));
  const [iAt, iLength] = section("items");
  const items = JSON.parse(new TextDecoder().decode(copy.subarray(iAt, iAt + iLength))) as Item[];
  if (items.length !== header.count || vCount !== header.count * header.dimensions) throw corrupt("sizes");
  const data: Bm25Data = {
    terms: header.terms,
    offsets: u32("offsets"),
    docs: u32("docs"),
    freqs: f32("freqs"),
    lengths: f32("lengths"),
  };
  const bm25 = new Bm25(data);
  return {
    items,
    dimensions: header.dimensions,
    allowMask: (filters) => allowMask(items, filters),
    rank(queryVector, query, { k, mode, allow }) {
      const depth = mode === "hybrid" ? Math.max(k, FUSION_DEPTH) : k;
      const semantic = () =>
        queryVector ? topK(cosineScores(vectors, header.dimensions, queryVector, allow), depth) : [];
      const keyword = () =>
        topK(
          [...bm25.scores(query, allow)].map(([doc, score]) => ({ doc, score })),
          depth,
        );
      if (mode === "semantic") return semantic().map((r, i) => ({ ...r, ranks: { semantic: i + 1 } }));
      if (mode === "keyword") return keyword().map((r, i) => ({ ...r, ranks: { keyword: i + 1 } }));
      return fuse({ semantic: semantic(), keyword: keyword() }, k);
    },
  };
}
