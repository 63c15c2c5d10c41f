import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { readArchive, safeEntryName } from "../../../packages/core/src/batch/archive.js";
import { InvalidInputError, PayloadTooLargeError } from "../../../packages/core/src/errors.js";

const limits = { maxEntries: 10, maxEntryBytes: 1000, maxTotalBytes: 5000 };

/** A minimal ustar archive, as `tar` writes it. */
function tar(files: Record<string, Uint8Array>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, data] of Object.entries(files)) {
    const header = new Uint8Array(512);
    const put = (text: string, offset: number) => header.set(new TextEncoder().encode(text), offset);
    put(name, 0);
    put("0000644\0", 100);
    put(`${data.length.toString(8).padStart(11, "0")}\0`, 124);
    put("0", 156);
    put("ustar\0", 257);
    blocks.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((sum, block) => sum + block.length, 0));
  let offset = 0;
  for (const block of blocks) {
    out.set(block, offset);
    offset += block.length;
  }
  return out;
}

describe("readArchive", () => {
  const a = new Uint8Array([1, 2, 3]);
  const b = new Uint8Array([4, 5]);

  it("lists zip frames in name order without folders or hidden files", () => {
    const zip = zipSync({
      "b.jpg": b,
      "a.jpg": a,
      "__MACOSX/._a.jpg": a,
      ".DS_Store": a,
      "dir/": new Uint8Array(),
    });
    expect(readArchive(zip, limits)).toEqual([
      { name: "a.jpg", bytes: a },
      { name: "b.jpg", bytes: b },
    ]);
  });

  it("reads tar frames", () => {
    expect(readArchive(tar({ "reel/2.jpg": b, "reel/1.jpg": a }), limits)).toEqual([
      { name: "reel/1.jpg", bytes: a },
      { name: "reel/2.jpg", bytes: b },
    ]);
  });

  it("refuses archives over the limits (zip bombs included)", () => {
    expect(() => readArchive(zipSync({ "big.jpg": new Uint8Array(2000) }), limits)).toThrow(
      PayloadTooLargeError,
    );
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`${i}.jpg`, a]));
    expect(() => readArchive(zipSync(many), limits)).toThrow(PayloadTooLargeError);
  });

  it("reports corrupt and truncated archives as invalid input", () => {
    const zip = zipSync({ "a.jpg": new Uint8Array(500).fill(7) }, { level: 0 });
    expect(() => readArchive(zip.subarray(0, 100), limits)).toThrow(InvalidInputError);
    expect(() => readArchive(tar({ "a.jpg": new Uint8Array(900) }).subarray(0, 700), limits)).toThrow(
      InvalidInputError,
    );
    expect(() => readArchive(new Uint8Array([1, 2, 3]), limits)).toThrow("Not a zip or tar archive");
  });

  it("names entries without traversal segments", () => {
    const zip = zipSync({ "../../etc/x.jpg": a, "/abs/y.jpg": b, "./z.jpg": a, "..": b });
    expect(readArchive(zip, limits).map((entry) => entry.name)).toEqual(["abs/y.jpg", "etc/x.jpg", "z.jpg"]);
    expect(safeEntryName("a\\..\\b.jpg")).toBe("a/b.jpg");
  });
});
