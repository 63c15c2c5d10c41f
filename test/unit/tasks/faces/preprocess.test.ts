import { describe, expect, it } from "vitest";
import { detectorInput, emotionInput } from "../../../../packages/core/src/tasks/faces/preprocess.js";

const white = { data: new Uint8Array(4 * 3 * 3).fill(255), width: 4, height: 3, format: "png" as const };

describe("faces preprocess", () => {
  it("makes a 1x3x240x320 CHW tensor with (x - 127) / 128", async () => {
    const input = await detectorInput(white);
    expect(input.length).toBe(3 * 240 * 320);
    expect(input[0]).toBeCloseTo(1);
    expect(input[input.length - 1]).toBeCloseTo(1);
  });

  it("makes one 48x48 grey plane per face, scaled to [-1, 1]", () => {
    const half = { data: new Uint8Array(10 * 10 * 3), width: 10, height: 10, format: "png" as const };
    for (let i = 0; i < half.data.length; i += 3) half.data.fill(i / 3 < 50 ? 0 : 255, i, i + 3);
    const input = emotionInput(half, [
      { x1: 0, y1: 0, x2: 10, y2: 4 },
      { x1: 0, y1: 6, x2: 10, y2: 10 },
    ]);
    expect(input.length).toBe(2 * 48 * 48);
    expect(input[0]).toBeCloseTo(-1);
    expect(input[48 * 48 + 100]).toBeCloseTo(1);
  });
});
