import { runTask } from "@marquee/core";
import { type FacesResult, facesTask } from "@marquee/core/tasks/faces";
import { beforeAll, describe, expect, it } from "vitest";
import { crowdFrame } from "../support/frames.js";
import { memoryServices } from "../support/services.js";
import { facePhoto, hasShared } from "../support/shared.js";

type Services = Awaited<ReturnType<typeof memoryServices>>["services"];
const MODELS = [
  "face-detection/ultraface-rfb-320",
  "face-detection/ultraface-rfb-640",
  "face-emotion/mini-xception-fer2013",
];

const overlap = (a: FacesResult["faces"][number]["box"], b: FacesResult["faces"][number]["box"]) => {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
};

describe.skipIf(!hasShared)("faces on HD frames", () => {
  let services: Services;
  let frame1080: Buffer;
  let frame4k: Buffer;
  const faces = (image: Uint8Array, options: Record<string, unknown>) =>
    runTask(
      facesTask,
      { image: { kind: "inline", bytes: image }, options } as never,
      services,
    ) as Promise<FacesResult>;

  beforeAll(async () => {
    ({ services } = await memoryServices(MODELS));
    [frame1080, frame4k] = await Promise.all([crowdFrame(1920, 1080, 3, 2), crowdFrame(3840, 2160, 4, 3)]);
  });

  it("keeps RFB-320 for 1,024-pixel photos", async () => {
    const result = await faces(facePhoto("2.jpg"), { emotions: false });
    expect(result.models[0]?.id).toBe("face-detection/ultraface-rfb-320");
    expect(result.faces).toHaveLength(4);
  });

  it("finds more faces in a 1920×1080 crowd frame with the HD default than with RFB-320 alone", async () => {
    const standard = await faces(frame1080, { detector: "standard", emotions: false });
    const auto = await faces(frame1080, { emotions: false });
    expect(auto.models[0]?.id).toBe("face-detection/ultraface-rfb-640");
    expect(standard.faces.length).toBeGreaterThan(20);
    expect(auto.faces.length).toBeGreaterThan(standard.faces.length * 1.5);
  });

  it("tiles 4K frames: more faces than one HD pass, none reported twice", async () => {
    const hd = await faces(frame4k, { detector: "hd", emotions: false, maxFaces: 500 });
    const tiled = await faces(frame4k, { emotions: false, maxFaces: 500 });
    expect(tiled.faces.length).toBeGreaterThan(hd.faces.length * 1.3);
    for (const [index, face] of tiled.faces.entries()) {
      for (const other of tiled.faces.slice(index + 1))
        expect(overlap(face.box, other.box)).toBeLessThanOrEqual(0.3);
    }
  });

  it("uses a named detector alone, whatever the frame size", async () => {
    const result = await faces(frame1080, { emotions: false });
    const named = (await runTask(
      facesTask,
      { image: { kind: "inline", bytes: frame1080 }, model: "face-detection/ultraface-rfb-320" } as never,
      services,
    )) as FacesResult;
    expect(named.models[0]?.id).toBe("face-detection/ultraface-rfb-320");
    expect(named.faces.length).toBeLessThan(result.faces.length);
  });
});
