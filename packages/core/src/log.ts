import { config } from "./config.js";

const RANK = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 } as const;
export type LogLevel = Exclude<keyof typeof RANK, "silent">;

/** One JSON line per entry (CloudWatch-friendly), filtered by MAAS_LOG_LEVEL. */
export function log(level: LogLevel, entry: Record<string, unknown>): void {
  if (RANK[level] < RANK[config().logLevel]) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), ...entry });
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}
