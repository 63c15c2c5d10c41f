import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { readArchive } from "../../../packages/core/src/batch/archive/index.js";
import { memberItemNames } from "../../../packages/core/src/batch/item-names.js";
import { parseUploadKey } from "../../../packages/core/src/batch/keys.js";
import { InvalidInputError, PayloadTooLargeError } from "../../../packages/core/src/errors.js";
import { writeTar } from "../../support/hostile-archives.js";

const limits = { maxEntries: 10, maxEntryBytes: 1000 };

/** A minimal ustar archive, as `tar` writes it (checksums included: tar-stream verifies them). */
const tar = (files: Record<string, Uint8Array>) =>
  writeTar(Object.entries(files).map(([name, data]) => ({ name, data })));

const read = async (bytes: Uint8Array) => {
  const entries = await readArchive(bytes, limits);
  const names = memberItemNames(
    "a.zip",
    entries.map((entry) => entry.name),
    800,
  );
  const results = await Promise.all(
    entries.map(async (entry, index) => {
      const name = (names[index] as string).slice("a.zip!/".length);
      try {
        return { name, bytes: new Uint8Array(await entry.read()) };
      } catch (error) {
        return { name, error: (error as Error).constructor.name };
      }
    }),
  );
  return results.sort((a, b) => (a.name < b.name ? -1 : 1));
};

describe("readArchive", () => {
  const a = new Uint8Array([1, 2, 3]);
  const b = new Uint8Array([4, 5]);

  it("lists zip frames in name order without folders, hidden files or macOS metadata", async () => {
    const zip = zipSync({
      "b.jpg": b,
      "a.jpg": a,
      "__MACOSX/._a.jpg": a,
      ".DS_Store": a,
      "dir/": new Uint8Array(),
    });
    expect(await read(zip)).toEqual([
      { name: "a.jpg", bytes: a },
      { name: "b.jpg", bytes: b },
    ]);
    expect(await read(zipSync({ "s.jpg": a }, { level: 0 }))).toEqual([{ name: "s.jpg", bytes: a }]);
  });

  it("reads tar frames", async () => {
    expect(await read(tar({ "reel/2.jpg": b, "reel/1.jpg": a }))).toEqual([
      { name: "reel/1.jpg", bytes: a },
      { name: "reel/2.jpg", bytes: b },
    ]);
  });

  it("fails an oversized entry alone, and refuses archives with too many frames", async () => {
    expect(await read(zipSync({ "big.jpg": new Uint8Array(2000), "ok.jpg": a }))).toEqual([
      { name: "big.jpg", error: "PayloadTooLargeError" },
      { name: "ok.jpg", bytes: a },
    ]);
    expect((await read(tar({ "big.jpg": new Uint8Array(2000), "ok.jpg": a })))[0]).toEqual({
      name: "big.jpg",
      error: "PayloadTooLargeError",
    });
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`${i}.jpg`, a]));
    await expect(readArchive(zipSync(many), limits)).rejects.toThrow(PayloadTooLargeError);
  });

  it("fails a corrupt entry alone; a truncated tar keeps the entries before the damage", async () => {
    const zip = zipSync({ "a.jpg": new Uint8Array(500).fill(7), "b.jpg": new Uint8Array(500).fill(9) });
    const damaged = zip.slice();
    const start = damaged.indexOf(0x50, 40); // the second local header follows the first entry's data
    damaged.fill(0xff, 30 + 5, start > 0 ? start : 60);
    const results = await read(damaged);
    expect(results.find((entry) => entry.name === "a.jpg")).toMatchObject({ error: "InvalidInputError" });
    expect(results.find((entry) => entry.name === "b.jpg")).toMatchObject({
      bytes: new Uint8Array(500).fill(9),
    });
    expect(await read(tar({ "a.jpg": a, "b.jpg": new Uint8Array(900) }).subarray(0, 1100))).toEqual([
      { name: "(unreadable rest of archive)", error: "InvalidInputError" },
      { name: "a.jpg", bytes: a },
    ]);
  });

  it("refuses what is not an archive or has no central directory", async () => {
    await expect(readArchive(new Uint8Array([1, 2, 3]), limits)).rejects.toThrow("Not a zip or tar archive");
    const zip = zipSync({ "a.jpg": a });
    await expect(readArchive(zip.subarray(0, zip.length - 10), limits)).rejects.toThrow(InvalidInputError);
  });

  it("names entries without traversal segments, and makes them unique", async () => {
    const zip = zipSync({ "../../etc/x.jpg": a, "/abs/y.jpg": b, "./z.jpg": a, "..": b, "etc/x.jpg": b });
    const names = (await read(zip)).map((entry) => entry.name);
    expect(names).toHaveLength(5);
    expect(names).toEqual(expect.arrayContaining(["(unnamed)", "abs/y.jpg", "etc/x.jpg", "z.jpg"]));
    expect(names.some((name) => /^etc\/x~[0-9a-f]{8}\.jpg$/.test(name))).toBe(true);
    // An upload's own key keeps every segment, spelled so that no two keys share a name.
    expect(parseUploadKey("uploads/frames/j/a/../b.jpg").name).toBe("a/%2E%2E/b.jpg");
    expect(parseUploadKey("uploads/frames/j/a\\b%.jpg").name).toBe("a%5Cb%25.jpg");
    expect(parseUploadKey("uploads/frames/j/.").name).toBe("%2E");
    expect(parseUploadKey("uploads/frames/j//x.jpg").name).toBe("%EMPTY/x.jpg");
    expect((await read(zipSync({ "..\\..\\w.jpg": a }))).map((entry) => entry.name)).toEqual(["w.jpg"]);
  });
});
