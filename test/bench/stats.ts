/** Small statistics helpers for the bench: percentiles use linear interpolation (numpy's default). */

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  mean: number;
  max: number;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[high] ?? lowValue;
  return lowValue + (highValue - lowValue) * (rank - low);
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return sum(values) / values.length;
}

export function summarise(values: readonly number[]): Summary {
  return {
    n: values.length,
    min: round(Math.min(...values)),
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    mean: round(mean(values)),
    max: round(Math.max(...values)),
  };
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const mb = (kilobytes: number): number => round(kilobytes / 1024, 1);

/** `model;dur=12.34` -> 12.34 (the first metric named `name` in a Server-Timing header). */
export function serverTiming(header: string | undefined, name = "model"): number {
  if (!header) return Number.NaN;
  for (const metric of header.split(",")) {
    const [metricName, ...params] = metric.trim().split(";");
    if (metricName?.trim() !== name) continue;
    const duration = params.map((param) => param.trim()).find((param) => param.startsWith("dur="));
    return duration ? Number(duration.slice(4)) : Number.NaN;
  }
  return Number.NaN;
}
