import { catalog } from "@marquee/core";
import { describe, expect, it } from "vitest";
import { autoGrid, tileBoxes } from "../../../../packages/core/src/tasks/faces/detect.js";

const rfb640 = catalog.find((model) => model.id === "face-detection/ultraface-rfb-640");

describe("face tiles", () => {
  it("cover the frame edge to edge with the requested overlap", () => {
    const tiles = tileBoxes(3840, 2160, { columns: 2, rows: 2, overlap: 0.2 });
    expect(tiles).toHaveLength(4);
    expect(tiles[0]).toEqual({ x1: 0, y1: 0, x2: 2133, y2: 1200 });
    expect(tiles[3]).toEqual({ x1: 1707, y1: 960, x2: 3840, y2: 2160 });
    const shared = (tiles[0]?.x2 ?? 0) - (tiles[1]?.x1 ?? 0);
    expect(shared / 2133).toBeCloseTo(0.2, 2);
  });

  it("grows the grid with the frame: 2×2 for 4K, more for 8K, never fewer than 2×2", () => {
    if (!rfb640) throw new Error("rfb-640 missing from the catalog");
    expect(autoGrid(3840, 2160, rfb640)).toEqual({ columns: 3, rows: 2, overlap: 0.2 });
    expect(autoGrid(7680, 4320, rfb640)).toEqual({ columns: 4, rows: 4, overlap: 0.2 });
    expect(autoGrid(1024, 768, rfb640)).toEqual({ columns: 2, rows: 2, overlap: 0.2 });
  });
});
