import { describe, expect, it } from "vitest";
import { RunQueue } from "../../../packages/core/src/runtime/run-queue.js";

describe("RunQueue", () => {
  it("runs jobs one at a time, in order, and survives a failure", async () => {
    const queue = new RunQueue();
    const order: string[] = [];
    let running = 0;
    const job =
      (name: string, fail = false) =>
      async () => {
        running += 1;
        expect(running).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(name);
        running -= 1;
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      queue.enqueue(job("a")),
      queue.enqueue(job("b", true)),
      queue.enqueue(job("c")),
    ]);
    expect(order).toEqual(["a", "b", "c"]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(queue.pending).toBe(0);
  });
});
