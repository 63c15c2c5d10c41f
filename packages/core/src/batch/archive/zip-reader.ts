import type { Readable } from "node:stream";
import zlib from "node:zlib";
import yauzl from "yauzl";
import { InvalidInputError, isMaasError, PayloadTooLargeError, UnsupportedMediaError } from "../../errors.js";
import { type EntryKind, type RawEntry, YIELD_EVERY_ENTRIES, yieldToEventLoop } from "./types.js";
import { findOverlaps, trueEntryCount } from "./zip-structure.js";

const corrupt = (why: string, cause?: unknown) =>
  new InvalidInputError(`The zip archive is corrupt: ${why}`, { cause });

/** The file-type bits of a Unix mode (S_IFREG, S_IFDIR, S_IFLNK, S_IFCHR, S_IFBLK, S_IFIFO). */
const UNIX_TYPES: Readonly<Record<number, EntryKind>> = {
  32768: "file",
  16384: "directory",
  40960: "symlink",
  8192: "device",
  24576: "device",
  4096: "fifo",
};

function kindOf(entry: yauzl.Entry, name: string): EntryKind {
  if (name.endsWith("/")) return "directory";
  if (entry.versionMadeBy >> 8 !== 3) return "file";
  const type = (entry.externalFileAttributes >>> 16) & 0xf000;
  return type === 0 ? "file" : (UNIX_TYPES[type] ?? "other");
}

function problemOf(entry: yauzl.Entry): Error | undefined {
  if (entry.isEncrypted()) return new UnsupportedMediaError("Encrypted zip entries are not supported");
  if (entry.compressionMethod === 0 && entry.compressedSize !== entry.uncompressedSize) {
    return corrupt(
      `a stored entry declares ${entry.uncompressedSize} bytes but holds ${entry.compressedSize}`,
    );
  }
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    return new UnsupportedMediaError(`Zip compression method ${entry.compressionMethod} is not supported`);
  }
  return undefined;
}

/**
 * Reads at most `limit` + 1 bytes, and never past the declared size: the stream is then destroyed.
 * yauzl hands over the raw bytes and this inflates them, because a stream yauzl inflates keeps
 * inflating (all of a bomb, on the main thread's callbacks) after it is destroyed.
 */
async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<Uint8Array> {
  const declared = entry.uncompressedSize;
  const chunks: Buffer[] = [];
  let total = 0;
  let raw: Readable | undefined;
  let inflate: zlib.InflateRaw | undefined;
  try {
    raw = await zip.openReadStreamPromise(entry, { decodeFileData: false });
    inflate = entry.compressionMethod === 8 ? zlib.createInflateRaw() : undefined;
    const data = inflate ? raw.pipe(inflate) : raw;
    raw.on("error", (error) => inflate?.destroy(error));
    for await (const chunk of data as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > declared) throw corrupt(`the entry inflates to more than its declared ${declared} bytes`);
      if (total > limit)
        throw new PayloadTooLargeError(`The entry holds more than ${limit} bytes, the limit for a frame`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (isMaasError(error)) throw error;
    throw corrupt((error as Error).message, error);
  } finally {
    inflate?.destroy();
    raw?.destroy();
  }
  if (total < declared) throw corrupt(`the entry inflates to fewer than its declared ${declared} bytes`);
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off("entry", onEntry).off("end", onEnd).off("error", onError);
    };
    const onEntry = (entry: yauzl.Entry) => {
      cleanup();
      resolve(entry);
    };
    const onEnd = () => {
      cleanup();
      resolve(undefined);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    zip.on("entry", onEntry).on("end", onEnd).on("error", onError);
    zip.readEntry();
  });
}

const open = (buffer: Buffer, validateEntrySizes: boolean) =>
  // Names are decoded here, not by yauzl: its decodeStrings check fails the whole archive on one `..`.
  yauzl.fromBufferPromise(buffer, {
    lazyEntries: true,
    decodeStrings: false,
    strictFileNames: false,
    validateEntrySizes,
    autoClose: false,
  });

/**
 * Entries of a zip from its central directory (zip64 included), each inflated only when read. The
 * listing never trusts sizes: a stored entry whose sizes disagree, or entries sharing bytes, carry a
 * `problem`; a deflated entry that inflates past its declared size fails when read, within
 * milliseconds. One bad entry never fails the others.
 */
export async function zipEntries(bytes: Uint8Array): Promise<RawEntry[]> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let listing: yauzl.ZipFile;
  let reader: yauzl.ZipFile;
  try {
    // The listing handle leaves stored-size checks to problemOf (yauzl would stop at the first
    // mismatch); the reading handle has yauzl bound every raw stream by its compressed size.
    listing = await open(buffer, false);
    reader = await open(buffer, true);
  } catch (error) {
    throw corrupt((error as Error).message, error);
  }
  const cursor = (listing as unknown as { readEntryCursor: number }).readEntryCursor;
  // The 16-bit count of a zip without zip64 records wraps past 65,535 entries: the directory is counted.
  listing.entryCount = trueEntryCount(bytes, cursor, listing.entryCount);
  const found: yauzl.Entry[] = [];
  try {
    for (let entry = await nextEntry(listing); entry; entry = await nextEntry(listing)) {
      found.push(entry);
      if (found.length % YIELD_EVERY_ENTRIES === 0) await yieldToEventLoop();
    }
  } catch (error) {
    throw corrupt(`entry ${found.length + 1}: ${(error as Error).message}`, error);
  }
  const overlapping = findOverlaps(found);
  return found.map((entry, index): RawEntry => {
    const name = yauzl.getFileNameLowLevel(
      entry.generalPurposeBitFlag,
      entry.fileNameRaw,
      entry.extraFields,
      false,
    );
    const problem = overlapping.has(index)
      ? corrupt("the entry's data overlaps another entry's")
      : problemOf(entry);
    return {
      index,
      name,
      kind: kindOf(entry, name),
      size: entry.uncompressedSize,
      ...(problem ? { problem } : {}),
      read: (limit) => (problem ? Promise.reject(problem) : readEntry(reader, entry, limit)),
    };
  });
}
