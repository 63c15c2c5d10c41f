/**
 * An earlier commit's checkout beside this one, for side-by-side cold starts in one bench run: the
 * commit's files from `git archive` under .marquee/, its node_modules linked to this checkout's (same
 * lockfile versions) except @marquee/core, which is its own packages/core.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, rm, symlink } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./handler.js";

const run = promisify(execFile);

/** The faces pipeline as it was before the image suite (point-sampled resize, V8's default tiering). */
export const BASELINE_COMMIT = "7c8db17";

export async function baselineCheckout(commit = BASELINE_COMMIT): Promise<string> {
  const dir = path.join(ROOT, ".marquee", `baseline-${commit}`);
  if (existsSync(path.join(dir, "node_modules", "@marquee", "core"))) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await run("sh", ["-c", `git -C "${ROOT}" archive "${commit}" | tar -x -C "${dir}"`]);
  const modules = path.join(dir, "node_modules");
  await mkdir(path.join(modules, "@marquee"), { recursive: true });
  for (const name of await readdir(path.join(ROOT, "node_modules"))) {
    if (name === "@marquee" || name.startsWith(".")) continue;
    await symlink(path.join(ROOT, "node_modules", name), path.join(modules, name));
  }
  await symlink(path.join(dir, "packages", "core"), path.join(modules, "@marquee", "core"));
  return dir;
}
