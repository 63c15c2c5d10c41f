import { createHash } from "node:crypto";

/**
 * Result names of a frames job's items: `results/<job>/frames/<item>.json`. The grammar makes every
 * name unique by construction:
 * - text is escaped: `%`, `!`, control characters (C0, DEL, C1) and lone surrogates become `%XX`
 *   (UTF-8 bytes), so escaped text never holds `!`;
 * - text that is too long becomes `<prefix>!~<16 hex of a hash of the original><extension>`, so `!`
 *   only ever starts that marker in a single upload's name;
 * - an archive member is `<archive>!/<member>`: the first `!/` splits it, and single uploads never
 *   hold `!/`. Members of one archive are made unique against the set of all their names.
 */

/** Longest key segment: a file-system name (255 bytes) with room for `.json` and a store's suffix. */
export const MAX_SEGMENT_BYTES = 200;
/** What a member's part of its name may always use, however long its archive's name. */
const MEMBER_RESERVE_BYTES = 120;
const UNNAMED = "(unnamed)";

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).length;
const hash = (text: string, length: number) =>
  createHash("sha256").update(text).digest("hex").slice(0, length);

function percent(char: string): string {
  const code = char.charCodeAt(0);
  const bytes =
    code >= 0xd800 && code <= 0xdfff
      ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
      : [...encoder.encode(char)];
  return bytes.map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("");
}

/** Escapes the characters the grammar reserves or a key must not hold. */
export function escapeText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  return text.replace(/[%!\u0000-\u001f\u007f-\u009f]|[\ud800-\udfff]/gu, percent);
}

/** Splits escaped text into pieces that truncation must keep whole. */
const TOKENS = /!~[0-9a-f]{16}|%[0-9A-F]{2}|[\s\S]/gu;

function truncateBytes(text: string, maxBytes: number): string {
  let out = "";
  let used = 0;
  for (const token of text.match(TOKENS) ?? []) {
    used += byteLength(token);
    if (used > maxBytes) break;
    out += token;
  }
  return out;
}

/** `.jpg` of `reel/001.jpg`, if short: kept when a name is shortened. */
const extensionOf = (text: string) => /\.[A-Za-z0-9]{1,10}$/.exec(text.split("/").at(-1) ?? "")?.[0] ?? "";

/** Escaped `text` within `maxBytes`; if it must be cut, the cut is marked with a hash of `original`. */
export function shorten(text: string, maxBytes: number, original: string): string {
  if (byteLength(text) <= maxBytes) return text;
  const extension = extensionOf(text);
  const marker = `!~${hash(original, 16)}`;
  const stem = text.slice(0, text.length - extension.length);
  return truncateBytes(stem, maxBytes - marker.length - extension.length) + marker + extension;
}

/** One byte short of the limit: an archive's last segment is followed by the `!` of `!/`. */
const escapeSegment = (segment: string) => shorten(escapeText(segment), MAX_SEGMENT_BYTES - 1, segment);

/** A single upload's item name (the runner already dropped `.`, `..` and empty segments). */
export function singleItemName(name: string, maxBytes: number): string {
  return shorten(name.split("/").map(escapeSegment).join("/"), maxBytes, name);
}

/** A member path without traversal or empty segments, escaped, each segment and the whole bounded. */
function memberPath(raw: string, maxBytes: number): string {
  const segments = raw.split(/[/\\]/).filter((part) => part !== "" && part !== "." && part !== "..");
  return segments.length ? shorten(segments.map(escapeSegment).join("/"), maxBytes, raw) : UNNAMED;
}

/** `name` with `suffix` before its extension, its last segment and the whole still within bounds. */
function withSuffix(name: string, suffix: string, maxBytes: number): string {
  const cut = name.lastIndexOf("/") + 1;
  const folder = name.slice(0, cut);
  const last = name.slice(cut);
  const extension = extensionOf(last);
  const room = Math.min(MAX_SEGMENT_BYTES, maxBytes - byteLength(folder)) - suffix.length - extension.length;
  const stem = truncateBytes(last.slice(0, last.length - extension.length), Math.max(0, room));
  return folder + stem + suffix + extension;
}

/**
 * Item names of an archive's members, in the order given (their archive order): unique, and never
 * equal to another upload's item. The first member with a name keeps it; later ones get `~<hash of
 * their index>` before the extension, checked against every name of the archive.
 */
export function memberItemNames(archive: string, members: readonly string[], maxBytes: number): string[] {
  const prefix = `${singleItemName(archive, maxBytes - 2 - MEMBER_RESERVE_BYTES)}!/`;
  const room = maxBytes - byteLength(prefix);
  const base = members.map((raw) => memberPath(raw, room));
  const all = new Set(base);
  const taken = new Set<string>();
  return base.map((name, index) => {
    let candidate = name;
    for (let attempt = 0; taken.has(candidate); attempt++) {
      candidate = withSuffix(name, `~${hash(`${index}:${attempt}`, 8)}`, room);
      if (all.has(candidate)) candidate = name;
    }
    taken.add(candidate);
    return prefix + candidate;
  });
}
