import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { readArchive } from "../../../packages/core/src/batch/archive/index.js";
import { safeKeyPath } from "../../../packages/core/src/batch/keys.js";
import { InvalidInputError, PayloadTooLargeError } from "../../../packages/core/src/errors.js";

const limits = { maxEntries: 10, maxEntryBytes: 1000 };

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

const read = (bytes: Uint8Array) =>
  readArchive(bytes, limits).map((entry) => {
    try {
      return { name: entry.name, bytes: entry.read() };
    } catch (error) {
      return { name: entry.name, error: (error as Error).constructor.name };
    }
  });

describe("readArchive", () => {
  const a = new Uint8Array([1, 2, 3]);
  const b = new Uint8Array([4, 5]);

  it("lists zip frames in name order without folders, hidden files or macOS metadata", () => {
    const zip = zipSync({
      "b.jpg": b,
      "a.jpg": a,
      "__MACOSX/._a.jpg": a,
      ".DS_Store": a,
      "dir/": new Uint8Array(),
    });
    expect(read(zip)).toEqual([
      { name: "a.jpg", bytes: a },
      { name: "b.jpg", bytes: b },
    ]);
    expect(read(zipSync({ "s.jpg": a }, { level: 0 }))).toEqual([{ name: "s.jpg", bytes: a }]);
  });

  it("reads tar frames", () => {
    expect(read(tar({ "reel/2.jpg": b, "reel/1.jpg": a }))).toEqual([
      { name: "reel/1.jpg", bytes: a },
      { name: "reel/2.jpg", bytes: b },
    ]);
  });

  it("fails an oversized entry alone, and refuses archives with too many frames", () => {
    expect(read(zipSync({ "big.jpg": new Uint8Array(2000), "ok.jpg": a }))).toEqual([
      { name: "big.jpg", error: "PayloadTooLargeError" },
      { name: "ok.jpg", bytes: a },
    ]);
    expect(read(tar({ "big.jpg": new Uint8Array(2000), "ok.jpg": a }))[0]).toEqual({
      name: "big.jpg",
      error: "PayloadTooLargeError",
    });
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`${i}.jpg`, a]));
    expect(() => readArchive(zipSync(many), limits)).toThrow(PayloadTooLargeError);
  });

  it("fails a corrupt entry alone; a truncated tar keeps the entries before the damage", () => {
    const zip = zipSync({ "a.jpg": new Uint8Array(500).fill(7), "b.jpg": new Uint8Array(500).fill(9) });
    const damaged = zip.slice();
    const start = damaged.indexOf(0x50, 40); // the second local header follows the first entry's data
    damaged.fill(0xff, 30 + 5, start > 0 ? start : 60);
    const results = read(damaged);
    expect(results.find((entry) => entry.name === "a.jpg")).toMatchObject({ error: "InvalidInputError" });
    expect(results.find((entry) => entry.name === "b.jpg")).toMatchObject({
      bytes: new Uint8Array(500).fill(9),
    });
    expect(read(tar({ "a.jpg": a, "b.jpg": new Uint8Array(900) }).subarray(0, 1100))).toEqual([
      { name: "a.jpg", bytes: a },
      { name: "b.jpg", error: "InvalidInputError" },
    ]);
  });

  it("refuses what is not an archive or has no central directory", () => {
    expect(() => readArchive(new Uint8Array([1, 2, 3]), limits)).toThrow("Not a zip or tar archive");
    const zip = zipSync({ "a.jpg": a });
    expect(() => readArchive(zip.subarray(0, zip.length - 10), limits)).toThrow(InvalidInputError);
  });

  it("names entries without traversal segments, and makes them unique", () => {
    const zip = zipSync({ "../../etc/x.jpg": a, "/abs/y.jpg": b, "./z.jpg": a, "..": b, "etc/x.jpg": b });
    expect(read(zip).map((entry) => entry.name)).toEqual(["abs/y.jpg", "etc/x.jpg", "etc/x.jpg~2", "z.jpg"]);
    expect(safeKeyPath("a\\..\\b.jpg")).toBe("a/b.jpg");
    expect(read(zipSync({ "..\\..\\w.jpg": a })).map((entry) => entry.name)).toEqual(["w.jpg"]);
  });
});
