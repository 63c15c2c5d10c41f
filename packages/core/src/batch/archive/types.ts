/** What an archive member is: only "file" members are frames; the rest are recorded as skipped. */
export type EntryKind = "file" | "directory" | "symlink" | "hardlink" | "device" | "fifo" | "other";

/** One member of an archive as its directory lists it; its bytes are read on demand. */
export interface RawEntry {
  /** Position in the archive's own listing order (central directory or tar order). */
  index: number;
  /** The name as stored (decoded), not yet made safe. */
  name: string;
  kind: EntryKind;
  /** Uncompressed size as the archive declares it. */
  size: number;
  /** Why this entry cannot be read, when the listing already knows (an input error). */
  problem?: Error;
  /**
   * The entry's bytes, never more than `limit`: rejects (an input error) an entry that holds more than
   * `limit` bytes or whose data does not match its declared size, after reading at most `limit` + 1 bytes.
   */
  read(limit: number): Promise<Uint8Array>;
}

/** Lets queued I/O (health checks, other requests) run during long synchronous-feeling loops. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export const YIELD_EVERY_ENTRIES = 256;
