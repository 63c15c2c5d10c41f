import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const sharedDir = path.resolve(repoRoot, "../shared");
export const hasShared = existsSync(path.join(sharedDir, "models", "MODELS.md"));

if (!hasShared) {
  console.warn(`../shared not found at ${sharedDir}: tests on real models and media are skipped`);
}

export const facePhoto = (name: string): Buffer =>
  readFileSync(path.join(sharedDir, "data/images/faces", name));
export const modelMirror = path.join(sharedDir, "models");

export function eventFixture<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(repoRoot, "test/fixtures/events", name), "utf8")) as T;
}

export const sharedData = (relative: string): string => path.join(sharedDir, "data", relative);
export const fixtureDir = (name: string): string => path.join(sharedDir, "fixtures", name);
