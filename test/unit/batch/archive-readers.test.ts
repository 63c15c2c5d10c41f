import { describe, expect, it } from "vitest";
import { type ArchiveEntry, readArchive } from "../../../packages/core/src/batch/archive/index.js";
import { memberItemNames } from "../../../packages/core/src/batch/item-names.js";
import { InvalidInputError, PayloadTooLargeError } from "../../../packages/core/src/errors.js";
import {
  deepTarPath,
  deflatedWithZeros,
  longNameAndSpecialMembers,
  manyEntriesZip,
  pixelBombPng,
  writeTar,
  writeZip,
  zipMember,
} from "../../support/hostile-archives.js";
import { facePhoto, hasShared } from "../../support/shared.js";

const MIB = 1 << 20;
const limits = { maxEntries: 100, maxEntryBytes: 20 * MIB };
const jpeg = hasShared ? facePhoto("2.jpg") : Buffer.from([0xff, 0xd8, 0xff, 1, 2, 3]);

async function outcome(entry: ArchiveEntry) {
  const started = performance.now();
  try {
    const bytes = await entry.read();
    return { name: entry.name, ok: bytes.length, ms: performance.now() - started };
  } catch (error) {
    return { name: entry.name, error: error as Error, ms: performance.now() - started };
  }
}
const outcomes = async (bytes: Uint8Array, custom = limits) => {
  const entries = await readArchive(bytes, custom);
  const results = [];
  for (const entry of entries) results.push(await outcome(entry));
  return results;
};

describe("zip entries that lie about their size", () => {
  it("stops each deflate bomb at its declared size within milliseconds (20 x 1 MiB declared, 200 MB each)", async () => {
    const bomb = deflatedWithZeros(new Uint8Array(), 200 * MIB);
    const members = Array.from({ length: 20 }, (_, i) => ({
      name: `bomb-${i}.jpg`,
      stored: bomb,
      method: 8 as const,
      declaredSize: MIB,
    }));
    const zip = writeZip([...members, zipMember("ok.jpg", jpeg, 8)]);
    const buffersBefore = process.memoryUsage().arrayBuffers;
    const results = await outcomes(zip);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // A destroyed entry stops inflating: nothing keeps producing (and buffering) the bomb's zeros.
    expect(process.memoryUsage().arrayBuffers - buffersBefore).toBeLessThan(64 * MIB);
    const bombs = results.filter((result) => result.name.startsWith("bomb-"));
    expect(bombs).toHaveLength(20);
    for (const result of bombs) {
      expect(result.error).toBeInstanceOf(InvalidInputError);
      expect(result.error?.message).toMatch(/inflates to more than its declared 1048576 bytes/);
    }
    const worst = Math.max(...bombs.map((result) => result.ms));
    console.info(`deflate bomb entries: worst ${worst.toFixed(1)} ms per entry (20 entries)`);
    expect(worst).toBeLessThan(250);
    expect(results.at(-1)).toMatchObject({ name: "ok.jpg", ok: jpeg.length });
  });

  it("refuses a JPEG followed by 200 MB of zeros that declares the JPEG's size", async () => {
    const lying = { name: "tail.jpg", stored: deflatedWithZeros(jpeg, 200 * MIB), method: 8 as const };
    const [result] = await outcomes(writeZip([{ ...lying, declaredSize: jpeg.length }]));
    expect(result?.error?.message).toMatch(/inflates to more than its declared/);
    expect(result?.ms).toBeLessThan(250);
  });

  it("refuses a stored entry declaring 1,000 bytes that holds 21 MB, and inflation past the frame limit", async () => {
    const stored = { name: "s.jpg", stored: new Uint8Array(21 * MIB), declaredSize: 1000 };
    const truthfulBig = zipMember("big.jpg", new Uint8Array(21 * MIB), 8);
    const atLimitBomb = {
      name: "limit.jpg",
      stored: deflatedWithZeros(new Uint8Array(), 60 * MIB),
      method: 8 as const,
      declaredSize: 20 * MIB,
    };
    const results = await outcomes(writeZip([stored, truthfulBig, atLimitBomb, zipMember("ok.jpg", jpeg)]));
    expect(results[0]?.error?.message).toMatch(/declares 1000 bytes but holds 22020096/);
    expect(results[1]?.error).toBeInstanceOf(PayloadTooLargeError);
    expect(results[1]?.error?.message).toMatch(/declares 22020096 bytes/);
    expect(results[2]?.error?.message).toMatch(/inflates to more than its declared 20971520 bytes/);
    expect(results[3]).toMatchObject({ ok: jpeg.length });
  });

  it("refuses entries that share bytes (two central records, one local header)", async () => {
    const zip = writeZip([zipMember("a.jpg", jpeg), zipMember("b.jpg", jpeg)], {
      aliases: [{ of: 0, name: "alias.jpg" }],
    });
    const results = await outcomes(zip);
    expect(results.map((result) => [result.name, result.error ? "error" : "ok"])).toEqual([
      ["a.jpg", "error"],
      ["b.jpg", "ok"],
      ["alias.jpg", "error"],
    ]);
    expect(results[0]?.error?.message).toMatch(/overlaps another entry/);
  });
});

describe("zip entry counts", () => {
  it("reads the true count of a zip64 archive and of one whose 16-bit count wrapped (70,000 entries)", async () => {
    for (const zip64 of [true, false]) {
      const zip = manyEntriesZip(70_000, zip64);
      const started = performance.now();
      const entries = await readArchive(zip, { maxEntries: 100_000, maxEntryBytes: MIB });
      console.info(
        `70,000-entry zip (zip64: ${zip64}) listed in ${(performance.now() - started).toFixed(0)} ms`,
      );
      expect(entries).toHaveLength(70_000);
      expect(entries.at(-1)?.name).toBe("f069999.txt");
      expect(new TextDecoder().decode(await entries.at(-1)?.read())).toBe("x");
      await expect(readArchive(zip, { maxEntries: 5000, maxEntryBytes: MIB })).rejects.toThrow(
        "The archive holds 70000 entries; the limit is 5000",
      );
    }
  }, 60_000);
});

describe("hostile names and entry kinds", () => {
  it("lists zip entries whose names yauzl would refuse, and marks zip symlinks", async () => {
    const names = ["a\u0000b.jpg", "c\u0007.jpg", "../up.jpg", "/abs.jpg", `${"s".repeat(300)}/x.jpg`];
    const long = `${"p/".repeat(550)}deep.jpg`;
    const zip = writeZip([
      ...[...names, long].map((name) => zipMember(name, jpeg)),
      { ...zipMember("link.jpg", Buffer.from("/etc/passwd")), mode: 0o120777 },
    ]);
    const entries = await readArchive(zip, limits);
    expect(entries.map((entry) => entry.name)).toEqual([...names, long, "link.jpg"]);
    expect(entries.map((entry) => entry.kind)).toEqual([...names.map(() => "file"), "file", "symlink"]);
    const items = memberItemNames(
      "n.zip",
      entries.map((entry) => entry.name),
      800,
    );
    expect(new Set(items).size).toBe(items.length);
  });

  it("reads ustar-prefix, GNU long-name and PAX names whole, and lists non-regular members", async () => {
    const deep = deepTarPath;
    const tar = writeTar([
      ...longNameAndSpecialMembers(jpeg),
      { name: "folder/", type: "5" },
      { name: "bomb.png", data: pixelBombPng() },
    ]);
    const entries = await readArchive(tar, limits);
    expect(entries.map((entry) => [entry.name, entry.kind])).toEqual([
      [`${"u".repeat(120)}/frame.jpg`, "file"],
      [deep("gnu"), "file"],
      [deep("pax"), "file"],
      ["link.jpg", "symlink"],
      ["hard.jpg", "hardlink"],
      ["tty", "device"],
      ["pipe", "fifo"],
      ["bomb.png", "file"],
    ]);
    expect(Buffer.from(await (entries[2] as ArchiveEntry).read()).equals(jpeg)).toBe(true);
    await expect((entries[3] as ArchiveEntry).read()).rejects.toThrow(InvalidInputError);
  });

  it("keeps the members before damage in a truncated tar and records the damage once", async () => {
    const tar = writeTar([
      { name: "a.jpg", data: jpeg },
      { name: "b.jpg", data: jpeg },
    ]);
    const results = await outcomes(tar.subarray(0, 512 + jpeg.length + 512 + 100));
    expect(results.map((result) => [result.name, result.error ? "error" : "ok"])).toEqual([
      ["a.jpg", "ok"],
      ["b.jpg", "error"],
    ]);
  });
});
