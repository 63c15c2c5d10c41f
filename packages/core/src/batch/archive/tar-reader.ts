import { InvalidInputError } from "../../errors.js";
import type { RawEntry } from "./types.js";

/** Regular-file entries of a ustar archive, as views into it (no copies). */
export function tarEntries(bytes: Uint8Array): RawEntry[] {
  const entries: RawEntry[] = [];
  const text = (start: number, length: number) =>
    new TextDecoder().decode(bytes.subarray(start, start + length)).replace(/\0.*$/s, "");
  let offset = 0;
  while (offset < bytes.length && bytes[offset] !== 0) {
    const prefix = text(offset + 345, 155);
    const name = (prefix ? `${prefix}/` : "") + text(offset, 100);
    const size = Number.parseInt(text(offset + 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(bytes[offset + 156] ?? 48);
    const start = offset + 512;
    if (start > bytes.length || !Number.isFinite(size) || size < 0 || start + size > bytes.length) {
      // The rest of the archive is unreadable: this entry fails, those before it stand.
      entries.push({
        name: name || "(truncated entry)",
        size: 0,
        read: () => {
          throw new InvalidInputError("The tar archive is truncated or corrupt at this entry");
        },
      });
      break;
    }
    if (type === "0" || type === "\0")
      entries.push({ name, size, read: () => bytes.subarray(start, start + size) });
    offset = start + Math.ceil(size / 512) * 512;
  }
  return entries;
}
