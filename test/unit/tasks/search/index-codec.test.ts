import { describe, expect, it } from "vitest";
import {
  decodeIndex,
  encodeIndex,
  INDEX_FORMAT_VERSION,
} from "../../../../packages/core/src/tasks/search/index-codec.js";
import { KeywordIndex } from "../../../../packages/core/src/tasks/search/keywords.js";
import { normaliseRows } from "../../../../packages/core/src/tasks/search/vectors.js";

const documents = [
  ["Heat", "A crew of heist robbers"],
  ["Notting Hill", "A love story in a London café"],
  ["Amélie", "A shy waitress in Paris"],
];
const vectors = normaliseRows(Float32Array.of(1, 2, 0, 0, 1, 1, 3, 0, 1), 3);
const input = {
  vectors,
  dimension: 3,
  keywords: KeywordIndex.build(documents),
  model: { id: "embeddings/glove-100d", version: "1.0.0" },
  textFields: ["title", "extract"],
  builtAt: "2026-12-02T00:00:00.000Z",
};

describe("the index codec", () => {
  it("round-trips vectors, postings and header", () => {
    const blob = encodeIndex(input);
    expect(new TextDecoder().decode(blob.subarray(0, 4))).toBe("MQSI");
    const { header, vectors: decoded, keywords } = decodeIndex(blob);
    expect(header).toMatchObject({
      format: "marquee-search-index",
      version: INDEX_FORMAT_VERSION,
      count: 3,
      dimension: 3,
      vectorType: "float32",
      model: input.model,
      textFields: input.textFields,
      builtAt: input.builtAt,
    });
    expect(decoded).toEqual(vectors);
    expect(keywords.data).toEqual(input.keywords.data);
    for (const query of ["heist", "cafe", "amelie paris", "love crew"]) {
      expect(keywords.search(query, 3)).toEqual(input.keywords.search(query, 3));
    }
  });

  it("decodes a blob at an odd offset in a larger buffer, and an empty index", () => {
    const blob = encodeIndex(input);
    const shifted = new Uint8Array(blob.length + 3);
    shifted.set(blob, 3);
    expect(decodeIndex(shifted.subarray(3)).keywords.search("heat", 1)[0]?.doc).toBe(0);
    const empty = decodeIndex(
      encodeIndex({ ...input, vectors: new Float32Array(0), keywords: KeywordIndex.build([]) }),
    );
    expect([empty.header.count, empty.vectors.length, empty.keywords.search("heat", 5)]).toEqual([0, 0, []]);
  });

  it("refuses vectors that do not match the documents", () => {
    expect(() => encodeIndex({ ...input, vectors: new Float32Array(6) })).toThrow(
      "2 vectors for 3 documents",
    );
  });

  it("refuses a foreign, truncated, corrupt or newer blob with a clear error", () => {
    const blob = encodeIndex(input);
    const headerLength = new DataView(blob.buffer).getUint32(4, true);
    const bodyStart = Math.ceil((8 + headerLength) / 8) * 8;
    /** The blob again with its header edited, re-laid so that the body still starts on 8 bytes. */
    const withHeader = (changes: Record<string, unknown>) => {
      const header = JSON.parse(new TextDecoder().decode(blob.subarray(8, 8 + headerLength)));
      Object.assign(header, changes);
      const text = new TextEncoder().encode(JSON.stringify(header));
      const start = Math.ceil((8 + text.length) / 8) * 8;
      const copy = new Uint8Array(start + blob.length - bodyStart);
      copy.set(blob.subarray(0, 4));
      new DataView(copy.buffer).setUint32(4, text.length, true);
      copy.set(text, 8);
      copy.set(blob.subarray(bodyStart), start);
      return copy;
    };
    expect(decodeIndex(withHeader({})).keywords.data).toEqual(input.keywords.data);
    expect(() => decodeIndex(new TextEncoder().encode("PK\u0003\u0004 a zip file"))).toThrow(
      'Not a valid search index (it does not start with "MQSI")',
    );
    expect(() => decodeIndex(new Uint8Array(0))).toThrow("Not a valid search index");
    expect(() => decodeIndex(blob.subarray(0, 40))).toThrow("the header runs past the end");
    expect(() => decodeIndex(blob.subarray(0, blob.length - 16))).toThrow("out of place");
    const garbled = new Uint8Array(blob);
    garbled[9] = 0x7b;
    expect(() => decodeIndex(garbled)).toThrow("the header is not JSON");
    expect(() => decodeIndex(withHeader({ format: "other" }))).toThrow("another format");
    expect(() => decodeIndex(withHeader({ version: 2 }))).toThrow(
      "Search index format 2 is not supported (this code reads 1)",
    );
    expect(() => decodeIndex(withHeader({ count: 4 }))).toThrow("out of place");
    expect(() => decodeIndex(withHeader({ terms: "many" }))).toThrow("bad sizes");
    const strayPosting = new Uint8Array(blob);
    const { offset } = decodeIndex(blob).header.sections.postingDocs;
    new DataView(strayPosting.buffer).setUint32(bodyStart + offset, 99, true);
    expect(() => decodeIndex(strayPosting)).toThrow("a posting names a missing document");
  });
});
