// Plain Node, no dependencies: runs before `npm start` and `npm test` so a fresh clone needs no other step.
// Installs the locked dependencies when node_modules is missing or older than package-lock.json.
import { execSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const stamp = "node_modules/.marquee-lock-hash";
const lockHash = createHash("sha256").update(readFileSync("package-lock.json")).digest("hex");
const installed = existsSync(stamp) ? readFileSync(stamp, "utf8").trim() : "";
if (installed !== lockHash) {
  console.log("setup: installing locked dependencies (npm ci)...");
  execSync("npm ci --no-audit --no-fund", { stdio: "inherit" });
  writeFileSync(stamp, lockHash);
}
if (!existsSync("../shared/models") && !process.env.MAAS_MODEL_MIRROR) {
  console.warn(
    "setup: ../shared/models not found and MAAS_MODEL_MIRROR unset: models will be fetched from their public URLs",
  );
}
