import { extract, type Header } from "tar-stream";
import { InvalidInputError, PayloadTooLargeError } from "../../errors.js";
import { type EntryKind, type RawEntry, YIELD_EVERY_ENTRIES, yieldToEventLoop } from "./types.js";

const KINDS: Readonly<Record<string, EntryKind>> = {
  file: "file",
  "contiguous-file": "file",
  directory: "directory",
  symlink: "symlink",
  link: "hardlink",
  "character-device": "device",
  "block-device": "device",
  fifo: "fifo",
};

const truncated = () => new InvalidInputError("The tar archive is truncated or corrupt at this entry");

function entryOf(bytes: Uint8Array, header: Header, index: number): RawEntry {
  const start = (header as Header & { byteOffset: number }).byteOffset;
  const size = header.size ?? 0;
  const problem = start + size > bytes.length ? truncated() : undefined;
  return {
    index,
    name: header.name,
    kind: KINDS[header.type ?? ""] ?? "other",
    size,
    ...(problem ? { problem } : {}),
    read: async (limit) => {
      if (problem) throw problem;
      if (size > limit)
        throw new PayloadTooLargeError(`The entry holds ${size} bytes; the limit for a frame is ${limit}`);
      return bytes.subarray(start, start + size);
    },
  };
}

/**
 * Members of a tar (ustar, GNU long names, PAX records) as views into it: tar-stream parses the headers
 * and each member's data is sliced from the upload, never copied. Damage ends the listing: the members
 * before it stand, and the damage itself is listed as one unreadable member, so it is recorded.
 */
export async function tarEntries(bytes: Uint8Array): Promise<RawEntry[]> {
  const entries: RawEntry[] = [];
  const parser = extract();
  parser.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  try {
    for await (const member of parser) {
      entries.push(entryOf(bytes, member.header, entries.length));
      member.resume();
      if (entries.length % YIELD_EVERY_ENTRIES === 0) await yieldToEventLoop();
    }
  } catch {
    if (!entries.at(-1)?.problem) {
      const problem = truncated();
      const read = () => Promise.reject(problem);
      const name = "(unreadable rest of archive)";
      entries.push({ index: entries.length, name, kind: "file", size: 0, problem, read });
    }
  }
  return entries;
}
