import { InvalidInputError, PayloadTooLargeError } from "../../errors.js";
import { sniffArchive } from "../../media/sniff.js";
import { safeKeyPath } from "../keys.js";
import { tarEntries } from "./tar-reader.js";
import type { RawEntry } from "./types.js";
import { zipEntries } from "./zip-reader.js";

export type ArchiveEntry = RawEntry;

export interface ArchiveLimits {
  maxEntries: number;
  maxEntryBytes: number;
}

const skipped = (name: string) =>
  name.startsWith("__MACOSX/") || (name.split("/").pop() ?? "").startsWith(".");

function uniqueNames(entries: RawEntry[]): RawEntry[] {
  const seen = new Map<string, number>();
  return entries.map((entry) => {
    const count = (seen.get(entry.name) ?? 0) + 1;
    seen.set(entry.name, count);
    return count === 1 ? entry : { ...entry, name: `${entry.name}~${count}` };
  });
}

/**
 * The frames of a .zip or .tar upload, in name order, read lazily: only one entry is in memory at a
 * time, and an entry that is too large or corrupt throws from its own `read`. Folders, hidden files
 * and macOS metadata are left out; names lose traversal segments and are made unique.
 */
export function readArchive(bytes: Uint8Array, limits: ArchiveLimits): ArchiveEntry[] {
  const format = sniffArchive(bytes);
  if (!format) throw new InvalidInputError("Not a zip or tar archive");
  const raw = format === "zip" ? zipEntries(bytes) : tarEntries(bytes);
  const entries = raw
    .filter((entry) => !/[/\\]$/.test(entry.name))
    .map((entry) => ({ ...entry, name: safeKeyPath(entry.name) }))
    .filter((entry) => entry.name !== "" && !skipped(entry.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (entries.length > limits.maxEntries) {
    throw new PayloadTooLargeError(
      `The archive holds ${entries.length} frames; the limit is ${limits.maxEntries}`,
    );
  }
  return uniqueNames(entries).map((entry) => ({
    ...entry,
    read: () => {
      if (entry.size > limits.maxEntryBytes) {
        throw new PayloadTooLargeError(
          `${entry.size} bytes; the limit for a frame is ${limits.maxEntryBytes}`,
        );
      }
      return entry.read();
    },
  }));
}

export function looksLikeArchive(key: string): boolean {
  return /\.(zip|tar)$/i.test(key);
}
