import type SharpType from "sharp";
import { InvalidImageError, PayloadTooLargeError, UnsupportedMediaError } from "../errors.js";
import { type ImageFormat, sniffImage } from "./sniff.js";

/** Decoded, EXIF-rotated, 8-bit interleaved RGB. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
  format: ImageFormat;
}

let sharpModule: Promise<typeof SharpType> | undefined;

/** sharp (native) is loaded on first use, so functions that never touch images do not need it installed. */
function sharp(): Promise<typeof SharpType> {
  sharpModule ??= import("sharp").then((module) => module.default);
  return sharpModule;
}

export interface DecodeOptions {
  maxPixels: number;
}

export async function decodeImage(bytes: Uint8Array, options: DecodeOptions): Promise<RgbImage> {
  const format = sniffImage(bytes);
  if (!format) {
    throw new UnsupportedMediaError("Unsupported media: expected a JPEG, PNG or WebP image");
  }
  const load = await sharp();
  try {
    const { data, info } = await load(bytes, {
      failOn: "warning",
      limitInputPixels: options.maxPixels,
    })
      .rotate()
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return { data: pixels, width: info.width, height: info.height, format };
  } catch (cause) {
    if (/pixel limit/i.test(String(cause))) {
      throw new PayloadTooLargeError(`The image has more than ${options.maxPixels} pixels`, { cause });
    }
    const message = `The ${format.toUpperCase()} image could not be decoded (corrupt or truncated)`;
    throw new InvalidImageError(message, { cause });
  }
}

/** A smooth colour gradient as JPEG: exercises the decode path at start-up without shipping a photo. */
export async function syntheticJpeg(width: number, height: number): Promise<Uint8Array> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    pixels[i * 3] = (i % width) & 255;
    pixels[i * 3 + 1] = Math.floor(i / width) & 255;
    pixels[i * 3 + 2] = 128;
  }
  return (await sharp())(pixels, { raw: { width, height, channels: 3 } })
    .jpeg()
    .toBuffer();
}

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * Bilinear resample of a box of an RGB image to width x height, with OpenCV's INTER_LINEAR
 * conventions (pixel centres, edge clamping), as the reference pre-processing of our models uses.
 * Returns interleaved RGB as floats.
 */
export function resampleRgb(image: RgbImage, box: Box, width: number, height: number): Float32Array {
  const { data, width: sourceWidth, height: sourceHeight } = image;
  const out = new Float32Array(width * height * 3);
  const scaleX = (box.x2 - box.x1) / width;
  const scaleY = (box.y2 - box.y1) / height;
  const left = new Int32Array(width);
  const right = new Int32Array(width);
  const weightX = new Float32Array(width);
  for (let col = 0; col < width; col++) {
    const x = Math.min(sourceWidth - 1, Math.max(0, box.x1 + (col + 0.5) * scaleX - 0.5));
    const x0 = Math.floor(x);
    left[col] = x0 * 3;
    right[col] = Math.min(sourceWidth - 1, x0 + 1) * 3;
    weightX[col] = x - x0;
  }
  let o = 0;
  for (let row = 0; row < height; row++) {
    const y = Math.min(sourceHeight - 1, Math.max(0, box.y1 + (row + 0.5) * scaleY - 0.5));
    const y0 = Math.floor(y);
    const fy = y - y0;
    const top = y0 * sourceWidth * 3;
    const bottom = Math.min(sourceHeight - 1, y0 + 1) * sourceWidth * 3;
    for (let col = 0; col < width; col++, o += 3) {
      const fx = weightX[col] as number;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const a0 = top + (left[col] as number);
      const a1 = top + (right[col] as number);
      const b0 = bottom + (left[col] as number);
      const b1 = bottom + (right[col] as number);
      out[o] =
        (data[a0] as number) * w00 +
        (data[a1] as number) * w01 +
        (data[b0] as number) * w10 +
        (data[b1] as number) * w11;
      out[o + 1] =
        (data[a0 + 1] as number) * w00 +
        (data[a1 + 1] as number) * w01 +
        (data[b0 + 1] as number) * w10 +
        (data[b1 + 1] as number) * w11;
      out[o + 2] =
        (data[a0 + 2] as number) * w00 +
        (data[a1 + 2] as number) * w01 +
        (data[b0 + 2] as number) * w10 +
        (data[b1 + 2] as number) * w11;
    }
  }
  return out;
}

/** Crops a box out of an RGB image and resamples it to size x size grey levels (BT.601 luma). */
export function cropGrey(image: RgbImage, box: Box, size: number): Float32Array {
  const rgb = resampleRgb(image, box, size, size);
  const out = new Float32Array(size * size);
  for (let i = 0; i < out.length; i++) {
    out[i] =
      0.299 * (rgb[i * 3] as number) +
      0.587 * (rgb[i * 3 + 1] as number) +
      0.114 * (rgb[i * 3 + 2] as number);
  }
  return out;
}
