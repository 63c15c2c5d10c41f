import { type Box, cropGrey, type RgbImage, resampleRgb } from "../../media/image.js";

export const DETECTOR_WIDTH = 320;
export const DETECTOR_HEIGHT = 240;
export const EMOTION_SIZE = 48;

/** UltraFace input: RGB stretched to 320x240, (x - 127) / 128, planar CHW. */
export function detectorInput(image: RgbImage): Float32Array {
  const whole = { x1: 0, y1: 0, x2: image.width, y2: image.height };
  const pixels = resampleRgb(image, whole, DETECTOR_WIDTH, DETECTOR_HEIGHT);
  const plane = DETECTOR_WIDTH * DETECTOR_HEIGHT;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    out[i] = ((pixels[i * 3] ?? 0) - 127) / 128;
    out[plane + i] = ((pixels[i * 3 + 1] ?? 0) - 127) / 128;
    out[2 * plane + i] = ((pixels[i * 3 + 2] ?? 0) - 127) / 128;
  }
  return out;
}

/** mini-Xception input: each face crop grey, 48x48, (x / 255 - 0.5) * 2, stacked NHWC [N,48,48,1]. */
export function emotionInput(image: RgbImage, boxes: readonly Box[]): Float32Array {
  const plane = EMOTION_SIZE * EMOTION_SIZE;
  const out = new Float32Array(boxes.length * plane);
  boxes.forEach((box, index) => {
    const grey = cropGrey(image, box, EMOTION_SIZE);
    for (let i = 0; i < plane; i++) out[index * plane + i] = ((grey[i] ?? 0) / 255 - 0.5) * 2;
  });
  return out;
}
