import type { Box } from "../../media/image.js";

export interface Detection {
  box: Box;
  score: number;
}

export interface DetectionParams {
  scoreThreshold: number;
  iouThreshold: number;
  maxFaces: number;
  width: number;
  height: number;
}

export function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = w * h;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy non-maximum suppression, highest score first. */
export function nonMaxSuppression(detections: Detection[], iouThreshold: number, limit: number): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const candidate of sorted) {
    if (kept.length >= limit) break;
    if (kept.every((other) => iou(other.box, candidate.box) <= iouThreshold)) kept.push(candidate);
  }
  return kept;
}

const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));

/** UltraFace outputs -> face boxes in pixels of the original image, clamped, after NMS. */
export function decodeDetections(
  scores: Float32Array,
  boxes: Float32Array,
  params: DetectionParams,
): Detection[] {
  const candidates: Detection[] = [];
  const anchors = scores.length / 2;
  for (let i = 0; i < anchors; i++) {
    const score = scores[i * 2 + 1] ?? 0;
    if (score <= params.scoreThreshold) continue;
    const box = {
      x1: clamp((boxes[i * 4] ?? 0) * params.width, params.width),
      y1: clamp((boxes[i * 4 + 1] ?? 0) * params.height, params.height),
      x2: clamp((boxes[i * 4 + 2] ?? 0) * params.width, params.width),
      y2: clamp((boxes[i * 4 + 3] ?? 0) * params.height, params.height),
    };
    if (box.x2 - box.x1 >= 1 && box.y2 - box.y1 >= 1) candidates.push({ box, score });
  }
  return nonMaxSuppression(candidates, params.iouThreshold, params.maxFaces);
}

export interface Emotions {
  emotions: Record<string, number>;
  dominant: string;
}

/** Softmax rows [N, labels] -> per-face probabilities by label and the most likely label. */
export function readEmotions(
  predictions: Float32Array,
  labels: readonly string[],
  count: number,
): Emotions[] {
  const result: Emotions[] = [];
  for (let face = 0; face < count; face++) {
    const emotions: Record<string, number> = {};
    let dominant = labels[0] ?? "";
    let best = -1;
    labels.forEach((label, index) => {
      const p = predictions[face * labels.length + index] ?? 0;
      emotions[label] = Math.round(p * 10000) / 10000;
      if (p > best) {
        best = p;
        dominant = label;
      }
    });
    result.push({ emotions, dominant });
  }
  return result;
}
