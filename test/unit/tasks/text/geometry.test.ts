import { describe, expect, it } from "vitest";
import { boxesFromMap, detectorSize, regions } from "../../../../packages/core/src/tasks/text/detect.js";
import {
  convexHull,
  insideQuad,
  minAreaRect,
  polygonArea,
  type Quad,
  unclip,
} from "../../../../packages/core/src/tasks/text/geometry.js";
import { readingOrder } from "../../../../packages/core/src/tasks/text/reading-order.js";
import { ctcDecode, widen } from "../../../../packages/core/src/tasks/text/recognise.js";

describe("text geometry", () => {
  it("finds the hull and the minimum-area rectangle of a rotated bar, corners in PaddleOCR's order", () => {
    const points: Array<[number, number]> = [];
    const angle = Math.PI / 6;
    for (let u = 0; u <= 40; u++)
      for (let v = 0; v <= 10; v++)
        points.push([
          100 + u * Math.cos(angle) - v * Math.sin(angle),
          50 + u * Math.sin(angle) + v * Math.cos(angle),
        ]);
    expect(convexHull(points).length).toBeLessThan(points.length);
    const { quad, shortSide } = minAreaRect(points);
    expect(shortSide).toBeCloseTo(10, 6);
    expect(polygonArea(quad)).toBeCloseTo(400, 4);
    const [topLeft, , , bottomLeft] = quad;
    expect(topLeft[1]).toBeLessThan(bottomLeft[1]);
    const axis = minAreaRect([
      [0, 0],
      [9, 0],
      [9, 4],
      [0, 4],
      [5, 2],
    ]);
    expect(axis.quad).toEqual([
      [0, 0],
      [9, 0],
      [9, 4],
      [0, 4],
    ]);
  });

  it("unclips a box by area × ratio / perimeter, as PaddleOCR does", () => {
    const box: Quad = [
      [0, 0],
      [100, 0],
      [100, 20],
      [0, 20],
    ];
    const grown = minAreaRect(unclip(box, 1.5));
    const distance = (2000 * 1.5) / 240; // 12.5
    // clipper works on integer coordinates: within a pixel.
    expect(Math.abs(grown.shortSide - (20 + 2 * distance))).toBeLessThanOrEqual(1);
    expect(insideQuad(box, 50, 10)).toBe(true);
    expect(insideQuad(box, 101, 10)).toBe(false);
  });

  it("sizes the detector input to multiples of 32 with the longest side ≤ 960", () => {
    expect(detectorSize(1920, 1080, 960)).toEqual({ width: 960, height: 544 });
    expect(detectorSize(3840, 2160, 960)).toEqual({ width: 960, height: 544 });
    expect(detectorSize(500, 300, 960)).toEqual({ width: 512, height: 288 });
    expect(detectorSize(10, 10, 960)).toEqual({ width: 32, height: 32 });
  });

  it("boxes each region of a probability map above the thresholds, scaled to the image", () => {
    const width = 64;
    const height = 32;
    const map = new Float32Array(width * height);
    for (let y = 10; y < 20; y++) for (let x = 5; x < 45; x++) map[y * width + x] = 0.9;
    for (let y = 25; y < 28; y++) for (let x = 50; x < 60; x++) map[y * width + x] = 0.4; // too faint
    expect(
      regions(map.map((p) => (p > 0.3 ? 1 : 0)) as unknown as Uint8Array, width, height, 10),
    ).toHaveLength(2);
    const boxes = boxesFromMap(
      map,
      { width, height },
      { width: 128, height: 64 },
      {
        threshold: 0.3,
        boxScore: 0.6,
        unclipRatio: 1.5,
        maxSide: 960,
        minSide: 3,
        maxCandidates: 1000,
      },
    );
    expect(boxes).toHaveLength(1);
    const [topLeft, , bottomRight] = (boxes[0] as { quad: Quad }).quad;
    expect(topLeft[0]).toBeLessThan(10);
    expect(bottomRight[0]).toBeGreaterThan(88);
    expect(boxes[0]?.score).toBeCloseTo(0.9, 2);
  });

  it("orders lines top to bottom, and left to right within a row", () => {
    const at = (x: number, y: number) => ({
      score: 1,
      quad: [
        [x, y],
        [x + 50, y],
        [x + 50, y + 20],
        [x, y + 20],
      ] as Quad,
    });
    const order = readingOrder([at(300, 102), at(10, 200), at(10, 100), at(150, 98)]);
    expect(order.map((box) => box.quad[0])).toEqual([
      [10, 100],
      [150, 98],
      [300, 102],
      [10, 200],
    ]);
  });

  it("widens a box along its length by a margin of its height, inside the image", () => {
    const box: Quad = [
      [10, 10],
      [110, 10],
      [110, 30],
      [10, 30],
    ];
    expect(widen(box, 0.5, { width: 115, height: 100 })).toEqual([
      [0, 10],
      [114, 10],
      [114, 30],
      [0, 30],
    ]);
  });
});

describe("greedy CTC", () => {
  it("collapses repeats, drops blanks, maps the last class to a space, averages kept probabilities", () => {
    const keys = ["a", "b"];
    const classes = 4; // blank, a, b, space
    const steps = [1, 1, 0, 1, 3, 2, 2, 0].map((best, t) => {
      const row = new Array(classes).fill(0.01);
      row[best] = t === 0 ? 0.5 : 0.9;
      return row;
    });
    const { text, confidence } = ctcDecode(Float32Array.from(steps.flat()), steps.length, classes, keys);
    expect(text).toBe("aa b");
    expect(confidence).toBeCloseTo((0.5 + 0.9 + 0.9 + 0.9) / 4, 6);
    expect(ctcDecode(new Float32Array([0.9, 0.1]), 1, 2, ["a"]).text).toBe("");
  });
});
