import { inflateSync } from "fflate";
import { InvalidInputError, UnsupportedMediaError } from "../../errors.js";
import type { RawEntry } from "./types.js";

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64 = 0xffffffff;

const corrupt = (why: string) => new InvalidInputError(`The zip archive is corrupt: ${why}`);

/**
 * Entries of a zip from its central directory, each decompressed only when read, so one frame at a
 * time is in memory and a bad entry fails alone. Zip64 and encrypted entries are refused.
 */
export function zipEntries(bytes: Uint8Array): RawEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at--) {
    if (view.getUint32(at, true) === EOCD) {
      end = at;
      break;
    }
  }
  if (end < 0) throw corrupt("no end of central directory");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  if (at === ZIP64 || at >= bytes.length)
    throw corrupt("central directory out of bounds (zip64 is not supported)");
  const entries: RawEntry[] = [];
  for (let index = 0; index < count; index++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL)
      throw corrupt("bad central directory");
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    entries.push({
      name,
      size,
      read: () => {
        if (flags & 1) throw new UnsupportedMediaError("Encrypted zip entries are not supported");
        if (compressed === ZIP64 || size === ZIP64 || local === ZIP64) throw corrupt("zip64 entry");
        if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL)
          throw corrupt(`bad header for ${name}`);
        const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
        if (start + compressed > bytes.length) throw corrupt(`${name} is truncated`);
        const data = bytes.subarray(start, start + compressed);
        if (method === 0) return data;
        if (method !== 8)
          throw new UnsupportedMediaError(`Zip compression method ${method} is not supported`);
        let out: Uint8Array;
        try {
          out = inflateSync(data, { out: new Uint8Array(size) });
        } catch (cause) {
          throw new InvalidInputError(`The zip entry ${name} is corrupt`, { cause });
        }
        if (out.length !== size) throw corrupt(`${name} does not inflate to its declared size`);
        return out;
      },
    });
    at += 46 + skip;
  }
  return entries;
}
