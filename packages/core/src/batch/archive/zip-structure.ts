import type yauzl from "yauzl";

const CENTRAL = 0x02014b50;
const LOCAL_HEADER_BYTES = 30;

/**
 * The number of central directory records that really follow `start`. The declared count can lie: the
 * 16-bit count of a zip without zip64 records wraps past 65,535 entries.
 */
export function trueEntryCount(bytes: Uint8Array, start: number, declared: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  for (let at = start; at + 46 <= bytes.length && view.getUint32(at, true) === CENTRAL; count++) {
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return count > 0 ? count : declared;
}

/**
 * Indexes of entries whose bytes certainly overlap another entry's (a local header and its data take
 * at least 30 + compressed-size bytes): the mark of overlapping-entry zip bombs and of forged copies.
 */
export function findOverlaps(entries: readonly yauzl.Entry[]): Set<number> {
  const order = entries
    .map((entry, index) => ({
      index,
      start: entry.relativeOffsetOfLocalHeader,
      end: entry.relativeOffsetOfLocalHeader + LOCAL_HEADER_BYTES + entry.compressedSize,
    }))
    .sort((a, b) => a.start - b.start);
  const overlapping = new Set<number>();
  let reach = -1;
  let reachOwner = -1;
  for (const span of order) {
    if (span.start < reach) {
      overlapping.add(span.index);
      overlapping.add(reachOwner);
    }
    if (span.end > reach) {
      reach = span.end;
      reachOwner = span.index;
    }
  }
  return overlapping;
}
