import { describe, expect, it } from "vitest";
import {
  decodeDetections,
  iou,
  nonMaxSuppression,
  readEmotions,
} from "../../../../packages/core/src/tasks/faces/postprocess.js";

describe("faces postprocess", () => {
  it("computes intersection over union", () => {
    expect(iou({ x1: 0, y1: 0, x2: 10, y2: 10 }, { x1: 0, y1: 0, x2: 10, y2: 10 })).toBe(1);
    expect(iou({ x1: 0, y1: 0, x2: 10, y2: 10 }, { x1: 5, y1: 0, x2: 15, y2: 10 })).toBeCloseTo(50 / 150);
    expect(iou({ x1: 0, y1: 0, x2: 1, y2: 1 }, { x1: 2, y1: 2, x2: 3, y2: 3 })).toBe(0);
  });

  it("keeps the best of overlapping boxes", () => {
    const kept = nonMaxSuppression(
      [
        { box: { x1: 0, y1: 0, x2: 10, y2: 10 }, score: 0.8 },
        { box: { x1: 1, y1: 1, x2: 11, y2: 11 }, score: 0.9 },
        { box: { x1: 50, y1: 50, x2: 60, y2: 60 }, score: 0.75 },
      ],
      0.3,
      10,
    );
    expect(kept.map((detection) => detection.score)).toEqual([0.9, 0.75]);
  });

  it("scales normalised boxes to pixels, clamps them and drops low scores", () => {
    const scores = new Float32Array([0.1, 0.9, 0.8, 0.2]);
    const boxes = new Float32Array([-0.1, 0.25, 0.5, 1.2, 0, 0, 0.1, 0.1]);
    const detections = decodeDetections(scores, boxes, {
      scoreThreshold: 0.7,
      iouThreshold: 0.3,
      maxFaces: 10,
      width: 200,
      height: 100,
    });
    expect(detections).toHaveLength(1);
    expect(detections[0]?.box).toEqual({ x1: 0, y1: 25, x2: 100, y2: 100 });
    expect(detections[0]?.score).toBeCloseTo(0.9);
  });

  it("labels emotion rows and picks the dominant one", () => {
    const labels = ["angry", "happy", "neutral"];
    const read = readEmotions(new Float32Array([0.1, 0.7, 0.2, 0.6, 0.1, 0.3]), labels, 2);
    expect(read.map((face) => face.dominant)).toEqual(["happy", "angry"]);
    expect(read[0]?.emotions).toEqual({ angry: 0.1, happy: 0.7, neutral: 0.2 });
  });
});
