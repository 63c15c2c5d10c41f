import { catalog } from "@marquee/core";
import { describe, expect, it } from "vitest";
import { detectorFeeds, emotionFeeds } from "../../../../packages/core/src/tasks/faces/preprocess.js";

const entry = (id: string) => {
  const found = catalog.find((model) => model.id === id);
  if (!found) throw new Error(id);
  return found;
};
const white = { data: new Uint8Array(4 * 3 * 3).fill(255), width: 4, height: 3, format: "png" as const };

describe("faces preprocess", () => {
  it("makes a 1x3x240x320 CHW tensor with (x - 127) / 128 for RFB-320, 1x3x480x640 for RFB-640", () => {
    const { input } = detectorFeeds(entry("face-detection/ultraface-rfb-320"), white);
    expect(input?.dims).toEqual([1, 3, 240, 320]);
    expect(input?.data[0]).toBeCloseTo(1);
    expect(input?.data[input.data.length - 1]).toBeCloseTo(1);
    const hd = detectorFeeds(entry("face-detection/ultraface-rfb-640"), white).input;
    expect(hd?.dims).toEqual([1, 3, 480, 640]);
  });

  it("makes one 48x48 grey plane per face, scaled to [-1, 1]", () => {
    const half = { data: new Uint8Array(10 * 10 * 3), width: 10, height: 10, format: "png" as const };
    for (let i = 0; i < half.data.length; i += 3) half.data.fill(i / 3 < 50 ? 0 : 255, i, i + 3);
    const { input_1: input } = emotionFeeds(entry("face-emotion/mini-xception-fer2013"), half, [
      { x1: 0, y1: 0, x2: 10, y2: 4 },
      { x1: 0, y1: 6, x2: 10, y2: 10 },
    ]);
    expect(input?.dims).toEqual([2, 48, 48, 1]);
    expect(input?.data[0]).toBeCloseTo(-1);
    expect(input?.data[48 * 48 + 100]).toBeCloseTo(1);
  });
});
