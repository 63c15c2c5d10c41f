import zlib from "node:zlib";

/** Hand-written zip and tar byte writers for hostile archives, built in memory at test set-up. */

const utf8 = (text: string | Uint8Array): Buffer =>
  typeof text === "string" ? Buffer.from(text, "utf8") : Buffer.from(text);

export interface ZipMember {
  name: string | Uint8Array;
  /** The bytes as stored in the archive (raw deflate when `method` is 8). */
  stored: Uint8Array;
  method?: 0 | 8;
  /** The uncompressed size both headers declare. */
  declaredSize: number;
  /** Unix file mode for the external attributes, e.g. 0o120777 for a symlink. */
  mode?: number;
}

export interface ZipOptions {
  /** Write zip64 end records (entry count 0xffff and offsets 0xffffffff in the classic record). */
  zip64?: boolean;
  /** Extra central records that point at the local header of member `of`, under another name. */
  aliases?: Array<{ of: number; name: string }>;
}

/** A member whose headers tell the truth. */
export function zipMember(name: string, data: Uint8Array, method: 0 | 8 = 0): ZipMember {
  const stored = method === 8 ? zlib.deflateRawSync(data) : data;
  return { name, stored, method, declaredSize: data.length };
}

export function writeZip(members: ZipMember[], options: ZipOptions = {}): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  const central = (member: ZipMember, name: Buffer, at: number) => {
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(member.mode === undefined ? 20 : (3 << 8) | 20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x800, 8);
    header.writeUInt16LE(member.method ?? 0, 10);
    header.writeUInt32LE(zlib.crc32(member.stored), 16);
    header.writeUInt32LE(member.stored.length, 20);
    header.writeUInt32LE(member.declaredSize, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(((member.mode ?? 0) << 16) >>> 0, 38);
    header.writeUInt32LE(at, 42);
    centrals.push(header, name);
  };
  for (const member of members) {
    const name = utf8(member.name);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x800, 6);
    header.writeUInt16LE(member.method ?? 0, 8);
    header.writeUInt32LE(zlib.crc32(member.stored), 14);
    header.writeUInt32LE(member.stored.length, 18);
    header.writeUInt32LE(member.declaredSize, 22);
    header.writeUInt16LE(name.length, 26);
    offsets.push(offset);
    locals.push(header, name, Buffer.from(member.stored));
    offset += 30 + name.length + member.stored.length;
    central(member, name, offsets.at(-1) as number);
  }
  for (const alias of options.aliases ?? []) {
    central(members[alias.of] as ZipMember, utf8(alias.name), offsets[alias.of] as number);
  }
  const count = members.length + (options.aliases?.length ?? 0);
  const directorySize = centrals.reduce((sum, part) => sum + part.length, 0);
  const tail: Buffer[] = [];
  if (options.zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(directorySize), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directorySize), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.zip64 ? 0xffff : count & 0xffff, 8);
  end.writeUInt16LE(options.zip64 ? 0xffff : count & 0xffff, 10);
  end.writeUInt32LE(options.zip64 ? 0xffffffff : directorySize, 12);
  end.writeUInt32LE(options.zip64 ? 0xffffffff : offset, 16);
  return Buffer.concat([...locals, ...centrals, ...tail, end]);
}

/** Raw deflate of `prefix` followed by `zeros` zero bytes, built from one flushed 1 MiB block. */
export function deflatedWithZeros(prefix: Uint8Array, zeros: number): Uint8Array {
  const mib = 1 << 20;
  const flush = { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH };
  const block = zlib.deflateRawSync(Buffer.alloc(mib), flush);
  const parts = [zlib.deflateRawSync(prefix, flush)];
  for (let left = zeros; left > 0; left -= mib) {
    parts.push(left >= mib ? block : zlib.deflateRawSync(Buffer.alloc(left), flush));
  }
  return Buffer.concat([...parts, Buffer.from([0x03, 0x00])]);
}

export interface TarMember {
  name: string;
  data?: Uint8Array;
  /** ustar type flag: "0" file, "1" hardlink, "2" symlink, "3"/"4" devices, "5" folder, "6" fifo. */
  type?: string;
  linkname?: string;
  /** How a name over 100 bytes is written: ustar prefix field, GNU `././@LongLink`, or a PAX record. */
  longName?: "ustar" | "gnu" | "pax";
}

function tarHeader(name: string, size: number, type: string, linkname = "", prefix = ""): Buffer {
  const header = Buffer.alloc(512);
  const put = (text: string, at: number, length: number) => utf8(text).copy(header, at, 0, length);
  put(name, 0, 100);
  put("0000644\0", 100, 8);
  put("0000000\0", 108, 8);
  put("0000000\0", 116, 8);
  put(`${size.toString(8).padStart(11, "0")}\0`, 124, 12);
  put("00000000000\0", 136, 12);
  put(type, 156, 1);
  put(linkname, 157, 100);
  put("ustar\0", 257, 6);
  put("00", 263, 2);
  put(prefix, 345, 155);
  header.fill(0x20, 148, 156);
  const sum = header.reduce((total, byte) => total + byte, 0);
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  return header;
}

const padded = (data: Uint8Array) => [Buffer.from(data), Buffer.alloc((512 - (data.length % 512)) % 512)];

export function writeTar(members: TarMember[]): Uint8Array {
  const blocks: Buffer[] = [];
  for (const member of members) {
    const data = member.data ?? new Uint8Array();
    const type = member.type ?? "0";
    let name = member.name;
    let prefix = "";
    if (member.longName === "gnu") {
      const long = Buffer.from(`${member.name}\0`);
      blocks.push(tarHeader("././@LongLink", long.length, "L"), ...padded(long));
      name = member.name.slice(0, 100);
    } else if (member.longName === "pax") {
      const body = (length: number) => `${length} path=${member.name}\n`;
      let length = Buffer.byteLength(body(0));
      while (Buffer.byteLength(body(length)) !== length) length = Buffer.byteLength(body(length));
      const record = Buffer.from(body(length));
      blocks.push(tarHeader("PaxHeaders/x", record.length, "x"), ...padded(record));
      name = member.name.slice(0, 100);
    } else if (member.longName === "ustar") {
      const cut = member.name.lastIndexOf("/");
      prefix = member.name.slice(0, cut);
      name = member.name.slice(cut + 1);
    }
    blocks.push(tarHeader(name, data.length, type, member.linkname, prefix), ...padded(data));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A few hundred bytes of PNG that declare `width` x `height` pixels (a decompression bomb). */
export function pixelBombPng(width = 30000, height = 30000): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = zlib.deflateSync(Buffer.alloc(1 + width * 3), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", rows),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** `count` tiny stored members named f000000.txt…, optionally with zip64 end records. */
export function manyEntriesZip(count: number, zip64: boolean): Uint8Array {
  const data = Buffer.from("x");
  const members = Array.from({ length: count }, (_, index) =>
    zipMember(`f${String(index).padStart(6, "0")}.txt`, data),
  );
  return writeZip(members, { zip64 });
}

/** A path deeper than ustar's 100 + 155 bytes, under `tag/`. */
export const deepTarPath = (tag: string) => `${tag}/${"d".repeat(120)}/${"e".repeat(120)}/frame.jpg`;

/** Long names in the three tar spellings (ustar prefix, GNU `L`, PAX `path`), then non-regular members. */
export function longNameAndSpecialMembers(jpeg: Uint8Array): TarMember[] {
  return [
    { name: `${"u".repeat(120)}/frame.jpg`, data: jpeg, longName: "ustar" },
    { name: deepTarPath("gnu"), data: jpeg, longName: "gnu" },
    { name: deepTarPath("pax"), data: jpeg, longName: "pax" },
    { name: "link.jpg", type: "2", linkname: "/etc/passwd" },
    { name: "hard.jpg", type: "1", linkname: "frame.jpg" },
    { name: "tty", type: "3" },
    { name: "pipe", type: "6" },
  ];
}
