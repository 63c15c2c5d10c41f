import { unzipSync } from "fflate";
import { InvalidInputError, PayloadTooLargeError } from "../errors.js";
import { sniffArchive } from "../media/sniff.js";

export interface ArchiveEntry {
  name: string;
  bytes: Uint8Array;
}

export interface ArchiveLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

const skipped = (name: string) =>
  name.endsWith("/") || name.startsWith("__MACOSX/") || (name.split("/").pop() ?? "").startsWith(".");

function readTar(bytes: Uint8Array, limits: ArchiveLimits): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  const text = (start: number, length: number) =>
    new TextDecoder().decode(bytes.subarray(start, start + length)).replace(/\0.*$/s, "");
  let offset = 0;
  let total = 0;
  while (offset + 512 <= bytes.length && bytes[offset] !== 0) {
    const prefix = text(offset + 345, 155);
    const name = (prefix ? `${prefix}/` : "") + text(offset, 100);
    const size = Number.parseInt(text(offset + 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(bytes[offset + 156] ?? 48);
    if (!Number.isFinite(size) || size < 0 || offset + 512 + size > bytes.length) {
      throw new InvalidInputError("The tar archive is truncated or corrupt");
    }
    if ((type === "0" || type === "\0") && !skipped(name)) {
      if (size > limits.maxEntryBytes)
        throw new PayloadTooLargeError(`${name} is larger than ${limits.maxEntryBytes}`);
      total += size;
      entries.push({ name, bytes: bytes.slice(offset + 512, offset + 512 + size) });
    }
    offset += 512 + Math.ceil(size / 512) * 512;
    if (entries.length > limits.maxEntries || total > limits.maxTotalBytes) {
      throw new PayloadTooLargeError(
        `The archive exceeds ${limits.maxEntries} frames or ${limits.maxTotalBytes} bytes`,
      );
    }
  }
  return entries;
}

function readZip(bytes: Uint8Array, limits: ArchiveLimits): ArchiveEntry[] {
  let total = 0;
  let count = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        if (skipped(file.name)) return false;
        count += 1;
        total += file.originalSize;
        if (
          count > limits.maxEntries ||
          total > limits.maxTotalBytes ||
          file.originalSize > limits.maxEntryBytes
        ) {
          throw new PayloadTooLargeError(
            `The archive exceeds ${limits.maxEntries} frames or ${limits.maxTotalBytes} bytes`,
          );
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof PayloadTooLargeError) throw error;
    throw new InvalidInputError("The zip archive is corrupt", { cause: error });
  }
  return Object.entries(files).map(([name, entry]) => ({ name, bytes: entry }));
}

/** An entry's path without `.`/`..` segments, leading slashes or backslashes: it names result keys. */
export function safeEntryName(name: string): string {
  return name
    .replace(/\\/g, "/")
    .split("/")
    .filter((segment) => segment !== "" && segment !== "." && segment !== "..")
    .join("/");
}

/** Frames inside a .zip or .tar upload, in name order; directories and hidden files are left out. */
export function readArchive(bytes: Uint8Array, limits: ArchiveLimits): ArchiveEntry[] {
  const format = sniffArchive(bytes);
  if (!format) throw new InvalidInputError("Not a zip or tar archive");
  const entries = format === "zip" ? readZip(bytes, limits) : readTar(bytes, limits);
  return entries
    .map((entry) => ({ ...entry, name: safeEntryName(entry.name) }))
    .filter((entry) => entry.name !== "" && !skipped(entry.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function looksLikeArchive(key: string): boolean {
  return /\.(zip|tar)$/i.test(key);
}
