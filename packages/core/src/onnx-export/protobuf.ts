/**
 * The protobuf wire format, write side only, for the few message types an ONNX model needs: varints
 * (int32/int64/enum), fixed32 floats, length-delimited bytes, strings and nested messages. A message is a
 * list of byte parts with a running length, so nesting a large message (a weight tensor) never copies it:
 * the bytes are joined once, in `finish`.
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;
const utf8 = new TextEncoder();

/** Little-endian base-128 bytes of a non-negative integer up to 2^53, or of an int64 given as a BigInt. */
function varintBytes(value: number | bigint): Uint8Array {
  if (typeof value === "bigint" || value < 0 || value >= 2 ** 53) {
    let rest = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    do {
      const low = Number(rest & 0x7fn);
      rest >>= 7n;
      out.push(rest > 0n ? low | 0x80 : low);
    } while (rest > 0n);
    return Uint8Array.from(out);
  }
  if (!Number.isInteger(value)) throw new RangeError(`varint: ${value} is not an integer`);
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Uint8Array.from(out);
}

export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  private push(bytes: Uint8Array): this {
    this.parts.push(bytes);
    this.size += bytes.length;
    return this;
  }

  private tag(field: number, wire: number): this {
    return this.push(varintBytes(field * 8 + wire));
  }

  /** int32, int64 or enum; negative values take 10 bytes (two's complement over 64 bits), as protobuf does. */
  varint(field: number, value: number | bigint): this {
    return this.tag(field, WIRE_VARINT).push(varintBytes(value));
  }

  float(field: number, value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    return this.tag(field, WIRE_FIXED32).push(bytes);
  }

  bytes(field: number, data: Uint8Array): this {
    return this.tag(field, WIRE_LENGTH_DELIMITED).push(varintBytes(data.length)).push(data);
  }

  string(field: number, text: string): this {
    return this.bytes(field, utf8.encode(text));
  }

  /** A nested message: its parts are adopted, not copied. */
  message(field: number, inner: ProtoWriter): this {
    this.tag(field, WIRE_LENGTH_DELIMITED).push(varintBytes(inner.size));
    for (const part of inner.parts) this.push(part);
    return this;
  }

  /** A packed repeated int64 field (parsers accept packed and unpacked encodings alike). */
  packedVarints(field: number, values: ReadonlyArray<number | bigint>): this {
    const inner = new ProtoWriter();
    for (const value of values) inner.push(varintBytes(value));
    return this.message(field, inner);
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: readonly number[]): this {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((value, index) => {
      view.setFloat32(index * 4, value, true);
    });
    return this.bytes(field, bytes);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

/** A typed array's bytes in little-endian order (ONNX raw_data), without a copy on little-endian hosts. */
export function littleEndianBytes(data: Float32Array | Int32Array | BigInt64Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return bytes;
  const width = data.BYTES_PER_ELEMENT;
  const swapped = new Uint8Array(bytes.length);
  for (let at = 0; at < bytes.length; at += width) {
    for (let i = 0; i < width; i++) swapped[at + i] = bytes[at + width - 1 - i] as number;
  }
  return swapped;
}
