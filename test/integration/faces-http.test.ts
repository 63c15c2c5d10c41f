import type { Twin } from "@marquee/core/twin";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { facePhoto, hasShared } from "../support/shared.js";
import { authed, startTestTwin } from "../support/twin.js";

interface Face {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  emotions: Record<string, number>;
  dominant: string;
}

// Verified by eye on ../shared/data/images/faces/2.jpg (1024x484): four smiling faces, left to right.
const EXPECTED_2JPG = [
  { x: 136, y: 109, width: 88, height: 139 },
  { x: 309, y: 91, width: 94, height: 143 },
  { x: 551, y: 78, width: 98, height: 145 },
  { x: 719, y: 116, width: 106, height: 157 },
];
const TOLERANCE_PX = 8;

describe.skipIf(!hasShared)("POST /v1/faces through the local twin", () => {
  let twin: Twin;
  beforeAll(async () => {
    twin = await startTestTwin();
  });
  afterAll(() => twin?.close());

  const post = (body: string | Uint8Array, headers: Record<string, string>) =>
    fetch(`${twin.apiUrl}/v1/faces`, { method: "POST", body, headers });

  it("finds the four happy faces of 2.jpg from a raw JPEG body", async () => {
    const response = await post(facePhoto("2.jpg"), authed(twin, { "content-type": "image/jpeg" }));
    expect(response.status).toBe(200);
    const result = (await response.json()) as {
      faces: Face[];
      width: number;
      height: number;
      models: unknown[];
      timings: Record<string, number>;
    };
    expect([result.width, result.height]).toEqual([1024, 484]);
    const faces = [...result.faces].sort((a, b) => a.box.x - b.box.x);
    expect(faces).toHaveLength(4);
    faces.forEach((face, index) => {
      const expected = EXPECTED_2JPG[index] as Face["box"];
      for (const side of ["x", "y", "width", "height"] as const) {
        expect(Math.abs(face.box[side] - expected[side])).toBeLessThanOrEqual(TOLERANCE_PX);
      }
      expect(face.dominant).toBe("happy");
      expect(face.score).toBeGreaterThan(0.9);
      expect(Object.values(face.emotions).reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 2);
    });
    expect(result.models).toEqual([
      { id: "face-detection/ultraface-rfb-320", version: "1.0.0" },
      { id: "face-emotion/mini-xception-fer2013", version: "1.0.0" },
    ]);
    expect(Object.keys(result.timings)).toEqual(["decode", "preprocess", "inference", "postprocess"]);
    expect(response.headers.get("server-timing")).toMatch(/^model;dur=\d/);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("takes base64 JSON with a chosen model and options, and PNG and WebP", async () => {
    const png = await sharp(facePhoto("2.jpg")).png().toBuffer();
    const webp = await sharp(facePhoto("2.jpg")).webp({ quality: 90 }).toBuffer();
    for (const image of [png, webp]) {
      const response = await post(
        JSON.stringify({
          image: image.toString("base64"),
          model: "face-detection/ultraface-slim-320",
          options: { emotions: false },
        }),
        authed(twin, { "content-type": "application/json" }),
      );
      expect(response.status).toBe(200);
      const result = (await response.json()) as { faces: Face[]; models: Array<{ id: string }> };
      expect(result.faces).toHaveLength(4);
      expect(result.faces[0]?.emotions).toBeUndefined();
      expect(result.models.map((model) => model.id)).toEqual(["face-detection/ultraface-slim-320"]);
    }
  });

  it("maps EXIF-rotated photos back to upright pixel boxes", async () => {
    const sideways = await sharp(facePhoto("2.jpg"))
      .rotate(-90)
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const response = await post(sideways, authed(twin, { "content-type": "image/jpeg" }));
    const result = (await response.json()) as { faces: Face[]; width: number };
    expect(result.width).toBe(1024);
    expect(result.faces).toHaveLength(4);
  });

  it("answers errors as JSON with the right status", async () => {
    const jpeg = facePhoto("2.jpg");
    const cases: Array<[Promise<Response>, number, string]> = [
      [post(jpeg, { "content-type": "image/jpeg" }), 401, "unauthorized"],
      [post(jpeg, { "content-type": "image/jpeg", "x-api-key": "mq_wrong" }), 401, "unauthorized"],
      [post("garbage", authed(twin, { "content-type": "application/json" })), 400, "invalid_input"],
      [post("garbage", authed(twin, { "content-type": "text/plain" })), 415, "unsupported_media"],
      [
        post(Buffer.from("garbage"), authed(twin, { "content-type": "image/jpeg" })),
        415,
        "unsupported_media",
      ],
      [post(jpeg.subarray(0, 20000), authed(twin, { "content-type": "image/jpeg" })), 400, "invalid_image"],
      [
        post(Buffer.alloc(7 * 1024 * 1024, 1), authed(twin, { "content-type": "image/jpeg" })),
        413,
        "payload_too_large",
      ],
      [
        post(Buffer.alloc(5 * 1024 * 1024, 1), authed(twin, { "content-type": "image/jpeg" })),
        413,
        "payload_too_large",
      ],
      [
        post(
          JSON.stringify({ image: jpeg.toString("base64"), model: "x/y" }),
          authed(twin, { "content-type": "application/json" }),
        ),
        404,
        "model_not_found",
      ],
      [
        post(
          JSON.stringify({ image: { s3Key: "uploads/media/none/x.jpg" } }),
          authed(twin, { "content-type": "application/json" }),
        ),
        404,
        "not_found",
      ],
      [
        post(
          JSON.stringify({ image: { s3Key: "results/x.json" } }),
          authed(twin, { "content-type": "application/json" }),
        ),
        400,
        "invalid_input",
      ],
      [fetch(`${twin.apiUrl}/v1/nothing`, { headers: authed(twin) }), 404, "not_found"],
      [fetch(`${twin.apiUrl}/v1/faces`, { headers: authed(twin) }), 405, "method_not_allowed"],
      [fetch(`${twin.apiUrl}/v1/nothing`), 401, "unauthorized"],
      [fetch(`${twin.apiUrl}/v1/jobs/%E0%A4%A`, { headers: authed(twin) }), 400, "invalid_input"],
      [
        post(
          JSON.stringify({ image: { s3Key: "uploads/media/x/../../y.jpg" } }),
          authed(twin, { "content-type": "application/json" }),
        ),
        400,
        "invalid_input",
      ],
    ];
    for (const [pending, status, code] of cases) {
      const response = await pending;
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect({ status: response.status, body: await response.json() }).toMatchObject({
        status,
        body: { error: { code } },
      });
    }
  });

  it("serves health without a key and the model catalog with one", async () => {
    expect((await fetch(`${twin.apiUrl}/v1/health`)).status).toBe(200);
    expect((await fetch(`${twin.apiUrl}/v1/models`)).status).toBe(401);
    const catalog = (await (await fetch(`${twin.apiUrl}/v1/models`, { headers: authed(twin) })).json()) as {
      models: Array<{ id: string; installed: boolean; default: boolean }>;
    };
    expect(catalog.models.find((model) => model.id === "face-detection/ultraface-rfb-320")).toMatchObject({
      installed: true,
      default: true,
    });
  });

  it("runs on media uploaded through a presigned URL (larger than a sync payload)", async () => {
    const big = await sharp(facePhoto("2.jpg")).resize(3000).png({ compressionLevel: 0 }).toBuffer();
    expect(big.length).toBeGreaterThan(6 * 1024 * 1024);
    const ticket = (await (
      await fetch(`${twin.apiUrl}/v1/uploads`, {
        method: "POST",
        headers: authed(twin, { "content-type": "application/json" }),
        body: JSON.stringify({ filename: "big.png", contentType: "image/png" }),
      })
    ).json()) as { url: string; key: string; headers: Record<string, string> };
    expect(ticket.key).toMatch(/^uploads\/media\/[\w-]+\/big\.png$/);
    expect((await fetch(ticket.url, { method: "PUT", body: big, headers: ticket.headers })).status).toBe(200);
    const response = await post(
      JSON.stringify({ image: { s3Key: ticket.key } }),
      authed(twin, { "content-type": "application/json" }),
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { faces: Face[] }).faces).toHaveLength(4);
  });
});
