import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "../shared.js";

const SCRIPT = path.join(repoRoot, "test/support/reference/classifier_input.py");

/** The model's input tensor for `photo`, prepared by PIL as MODELS.md says (classifier_input.py). */
export function pilInput(model: string, photo: string): Float32Array {
  const dir = mkdtempSync(path.join(tmpdir(), "marquee-pil-"));
  try {
    const out = path.join(dir, "input.f32");
    execFileSync("/usr/bin/python3", [SCRIPT, model, photo, out]);
    const bytes = readFileSync(out);
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const hasPil = (() => {
  try {
    execFileSync("/usr/bin/python3", ["-c", "import PIL, numpy"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
