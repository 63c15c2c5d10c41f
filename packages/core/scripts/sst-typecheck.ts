/**
 * `npm run typecheck:sst`: type-checks sst.config.ts and stacks/ against SST's own types, without AWS.
 *
 * 1. `sst install` unpacks SST's platform code into .sst/platform/ (including config.d.ts, which declares
 *    $config, $app, sst.*, aws.*) and npm-installs the providers. Offline-safe flags: no Pulumi/Bun
 *    download (SST_SKIP_DEPENDENCY_CHECK, SST_NO_BUN), no telemetry. It needs the npm registry on the first
 *    run only (~45 s); after that it takes a few seconds, so it always runs rather than guessing staleness.
 * 2. `tsc -p stacks/tsconfig.json`, which includes .sst/platform/config.d.ts.
 *
 * Stage: $SST_STAGE, else "ci" (install does not deploy anything; the stage only has to be set so SST
 * does not ask for one).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const stage = process.env.SST_STAGE || "ci";
const sstCli = path.join(root, "node_modules", "sst", "bin", "sst.mjs");
const tscCli = path.join(root, "node_modules", "typescript", "bin", "tsc");
const tsconfig = path.join("stacks", "tsconfig.json");
const configTypes = path.join(root, ".sst", "platform", "config.d.ts");

function fail(message: string): never {
  console.error(`\nsst-typecheck: FAILED: ${message}`);
  process.exit(1);
}

function run(step: string, args: string[], env: NodeJS.ProcessEnv = process.env, hint = ""): void {
  const started = performance.now();
  console.log(`sst-typecheck: ${step}: node ${args.map((arg) => path.relative(root, arg) || arg).join(" ")}`);
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    env,
    stdio: "inherit",
    timeout: 10 * 60_000,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.error) fail(`${step} could not run (${result.error.message}) after ${seconds}s`);
  if (result.status !== 0) {
    fail(`${step} exited with ${result.status ?? result.signal} after ${seconds}s${hint}`);
  }
  console.log(`sst-typecheck: ${step}: ok in ${seconds}s`);
}

for (const [file, hint] of [
  [sstCli, "the sst package; run npm ci"],
  [tscCli, "the typescript package; run npm ci"],
  [path.join(root, tsconfig), "stacks/tsconfig.json"],
] as const) {
  if (!existsSync(file)) fail(`${path.relative(root, file)} is missing (${hint})`);
}

run(
  "sst install",
  [sstCli, "install", "--stage", stage],
  {
    ...process.env,
    SST_STAGE: stage,
    SST_SKIP_DEPENDENCY_CHECK: "1",
    SST_NO_BUN: "1",
    SST_TELEMETRY_DISABLED: "1",
    DO_NOT_TRACK: "1",
  },
  "; the first install needs the npm registry (add --print-logs to `npx sst install` for details)",
);
if (!existsSync(configTypes)) {
  fail(`sst install succeeded but did not write ${path.relative(root, configTypes)}`);
}

run("tsc", [tscCli, "-p", tsconfig, "--noEmit"]);
console.log("sst-typecheck: sst.config.ts and stacks/ type-check");
