import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { sharedData } from "./shared.js";

/** The shared face photos, largest crowds first (file names are the upstream repository's). */
export const facePhotoNames = (): string[] =>
  readdirSync(sharedData("images/faces"))
    .filter((name) => name.endsWith(".jpg"))
    .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));

/**
 * A crowd frame of `columns` × `rows` shared photos, each resized to cover its cell (libvips Lanczos),
 * as JPEG at quality 90: 1920×1080 from 3 × 2 photos is a broadcast frame full of small faces.
 */
export async function crowdFrame(
  width: number,
  height: number,
  columns: number,
  rows: number,
): Promise<Buffer> {
  const names = facePhotoNames();
  const cellWidth = Math.floor(width / columns);
  const cellHeight = Math.floor(height / rows);
  const cells = await Promise.all(
    Array.from({ length: columns * rows }, async (_, index) => ({
      input: await sharp(
        readFileSync(path.join(sharedData("images/faces"), names[index % names.length] as string)),
      )
        .resize(cellWidth, cellHeight, { fit: "cover" })
        .toBuffer(),
      left: (index % columns) * cellWidth,
      top: Math.floor(index / columns) * cellHeight,
    })),
  );
  return sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 } } })
    .composite(cells)
    .jpeg({ quality: 90 })
    .toBuffer();
}
