export type Phase = "decode" | "preprocess" | "inference" | "postprocess";

/** Milliseconds per phase of one request, plus the time spent inside `session.run` alone. */
export class Timings {
  private readonly totals: Record<Phase, number> = { decode: 0, preprocess: 0, inference: 0, postprocess: 0 };
  modelMs = 0;

  async measure<T>(phase: Phase, work: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.totals[phase] += performance.now() - started;
    }
  }

  toJSON(): Record<Phase, number> {
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return {
      decode: round(this.totals.decode),
      preprocess: round(this.totals.preprocess),
      inference: round(this.totals.inference),
      postprocess: round(this.totals.postprocess),
    };
  }
}
