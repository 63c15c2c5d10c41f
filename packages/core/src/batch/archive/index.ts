import { InvalidInputError, PayloadTooLargeError } from "../../errors.js";
import { sniffArchive } from "../../media/sniff.js";
import { tarEntries } from "./tar-reader.js";
import type { EntryKind, RawEntry } from "./types.js";
import { zipEntries } from "./zip-reader.js";

export type { EntryKind } from "./types.js";

/** One member that becomes a record: a frame ("file") or a member recorded as skipped. */
export interface ArchiveEntry {
  index: number;
  /** The name as the archive stores it; item-names.ts makes it safe and unique. */
  name: string;
  kind: EntryKind;
  size: number;
  /** The frame's bytes; rejects with an input error for this entry alone. */
  read(): Promise<Uint8Array>;
}

export interface ArchiveLimits {
  maxEntries: number;
  maxEntryBytes: number;
}

const segmentsOf = (name: string) => name.split(/[/\\]/).filter((segment) => segment !== "");

/** Folders, macOS resource forks and dot-files are not frames (`.` and `..` are traversal, not names). */
function isMetadata(entry: RawEntry): boolean {
  if (entry.kind === "directory" || /[/\\]$/.test(entry.name)) return true;
  const segments = segmentsOf(entry.name);
  const last = segments.at(-1) ?? "";
  return segments[0] === "__MACOSX" || (last.startsWith(".") && last !== "." && last !== "..");
}

function guarded(entry: RawEntry, maxEntryBytes: number): ArchiveEntry {
  return {
    index: entry.index,
    name: entry.name,
    kind: entry.kind,
    size: entry.size,
    read: async () => {
      if (entry.problem) throw entry.problem;
      if (entry.kind !== "file") throw new InvalidInputError(`A ${entry.kind} entry is not a frame`);
      if (entry.size > maxEntryBytes) {
        throw new PayloadTooLargeError(
          `The entry declares ${entry.size} bytes; the limit for a frame is ${maxEntryBytes}`,
        );
      }
      return entry.read(maxEntryBytes);
    },
  };
}

/**
 * The members of a .zip or .tar upload that become records, in archive order: files (frames) and
 * links, devices and the like (recorded as skipped); folders and metadata are left out. Only one
 * entry's bytes are in memory at a time; an entry that lies about its size, is too large or corrupt
 * rejects from its own `read`. Throws (an input error) only when the archive as a whole is unreadable
 * or holds more than `maxEntries` such members, counted from the real directory.
 */
export async function readArchive(bytes: Uint8Array, limits: ArchiveLimits): Promise<ArchiveEntry[]> {
  const format = sniffArchive(bytes);
  if (!format) throw new InvalidInputError("Not a zip or tar archive");
  const raw = format === "zip" ? await zipEntries(bytes) : await tarEntries(bytes);
  const entries = raw.filter((entry) => !isMetadata(entry));
  if (entries.length > limits.maxEntries) {
    throw new PayloadTooLargeError(
      `The archive holds ${entries.length} entries; the limit is ${limits.maxEntries}`,
    );
  }
  return entries.map((entry) => guarded(entry, limits.maxEntryBytes));
}

export function looksLikeArchive(key: string): boolean {
  return /\.(zip|tar)$/i.test(key);
}
