export type ImageFormat = "jpeg" | "png" | "webp";
export type ArchiveFormat = "zip" | "tar";

export const SUPPORTED_IMAGE_TYPES: Readonly<Record<string, ImageFormat>> = Object.freeze({
  "image/jpeg": "jpeg",
  "image/jpg": "jpeg",
  "image/png": "png",
  "image/webp": "webp",
});

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  return prefix.every((value, index) => bytes[offset + index] === value);
}

/** Recognises an image by its magic bytes; the declared Content-Type is never trusted alone. */
export function sniffImage(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return "webp";
  return undefined;
}

export function sniffArchive(bytes: Uint8Array): ArchiveFormat | undefined {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]))
    return "zip";
  if (bytes.length >= 512 && startsWith(bytes, [0x75, 0x73, 0x74, 0x61, 0x72], 257)) return "tar";
  return undefined;
}
