import sharp from "sharp";
import { InvalidImageError, UnsupportedMediaError } from "../errors.js";
import { type ImageFormat, sniffImage } from "./sniff.js";

/** Decoded, EXIF-rotated, 8-bit interleaved RGB. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
  format: ImageFormat;
}

export interface DecodeOptions {
  maxPixels: number;
}

export async function decodeImage(bytes: Uint8Array, options: DecodeOptions): Promise<RgbImage> {
  const format = sniffImage(bytes);
  if (!format) {
    throw new UnsupportedMediaError("Unsupported media: expected a JPEG, PNG or WebP image");
  }
  try {
    const { data, info } = await sharp(bytes, { failOn: "warning", limitInputPixels: options.maxPixels })
      .rotate()
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ...size(info), format };
  } catch (cause) {
    throw new InvalidImageError(
      `The ${format.toUpperCase()} image could not be decoded (corrupt or truncated)`,
      {
        cause,
      },
    );
  }
}

function size(info: { width: number; height: number }) {
  return { width: info.width, height: info.height };
}

/** Stretches an RGB image to exactly width x height (no aspect ratio kept), bilinear. */
export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<Uint8Array> {
  const out = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: "fill", kernel: "linear" })
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Crops a box out of an RGB image and resamples it to size x size grey levels (bilinear, BT.601 luma). */
export function cropGrey(image: RgbImage, box: Box, size: number): Float32Array {
  const out = new Float32Array(size * size);
  const boxWidth = Math.max(1, box.x2 - box.x1);
  const boxHeight = Math.max(1, box.y2 - box.y1);
  const luma = (x: number, y: number): number => {
    const cx = Math.min(image.width - 1, Math.max(0, x));
    const cy = Math.min(image.height - 1, Math.max(0, y));
    const offset = (cy * image.width + cx) * 3;
    return (
      0.299 * (image.data[offset] ?? 0) +
      0.587 * (image.data[offset + 1] ?? 0) +
      0.114 * (image.data[offset + 2] ?? 0)
    );
  };
  for (let row = 0; row < size; row++) {
    const sy = box.y1 + ((row + 0.5) * boxHeight) / size - 0.5;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let col = 0; col < size; col++) {
      const sx = box.x1 + ((col + 0.5) * boxWidth) / size - 0.5;
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      const top = luma(x0, y0) * (1 - fx) + luma(x0 + 1, y0) * fx;
      const bottom = luma(x0, y0 + 1) * (1 - fx) + luma(x0 + 1, y0 + 1) * fx;
      out[row * size + col] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}
