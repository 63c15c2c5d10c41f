import { InvalidImageError, PayloadTooLargeError, UnsupportedMediaError } from "@marquee/core";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage } from "../../../packages/core/src/media/image.js";
import { sniffArchive, sniffImage } from "../../../packages/core/src/media/sniff.js";

const limits = { maxPixels: 10_000_000 };
const raw = { width: 4, height: 2, channels: 3 as const };
const pixels = Buffer.alloc(4 * 2 * 3, 200);

describe("image decoding", () => {
  it("decodes JPEG, PNG and WebP to RGB", async () => {
    for (const format of ["jpeg", "png", "webp"] as const) {
      const bytes = await sharp(pixels, { raw }).toFormat(format).toBuffer();
      expect(sniffImage(bytes)).toBe(format);
      const image = await decodeImage(bytes, limits);
      expect([image.width, image.height, image.format, image.data.length]).toEqual([4, 2, format, 24]);
    }
  });

  it("honours EXIF orientation", async () => {
    const rotated = await sharp(pixels, { raw }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const image = await decodeImage(rotated, limits);
    expect([image.width, image.height]).toEqual([2, 4]);
  });

  it("turns greyscale and alpha images into RGB", async () => {
    const grey = await sharp(Buffer.alloc(16, 9), { raw: { width: 4, height: 4, channels: 1 } })
      .png()
      .toBuffer();
    expect((await decodeImage(grey, limits)).data.length).toBe(48);
    const rgba = await sharp(Buffer.alloc(64, 9), { raw: { width: 4, height: 4, channels: 4 } })
      .png()
      .toBuffer();
    expect((await decodeImage(rgba, limits)).data.length).toBe(48);
  });

  it("rejects other formats, truncated files and oversized images", async () => {
    const gif = await sharp(pixels, { raw }).gif().toBuffer();
    await expect(decodeImage(gif, limits)).rejects.toThrow(UnsupportedMediaError);
    const jpeg = await sharp(Buffer.alloc(64 * 64 * 3, 90), { raw: { width: 64, height: 64, channels: 3 } })
      .jpeg()
      .toBuffer();
    await expect(decodeImage(jpeg.subarray(0, jpeg.length / 2), limits)).rejects.toThrow(InvalidImageError);
    await expect(decodeImage(jpeg, { maxPixels: 100 })).rejects.toThrow(PayloadTooLargeError);
    await expect(decodeImage(jpeg, { maxPixels: 100 })).rejects.toThrow("more than 100 pixels");
  });

  it("sniffs archives", () => {
    expect(sniffArchive(Buffer.from("PK\x03\x04rest", "latin1"))).toBe("zip");
    expect(sniffArchive(Buffer.from("hello"))).toBeUndefined();
  });
});
