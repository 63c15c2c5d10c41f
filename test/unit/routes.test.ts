import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  bucketTriggers,
  defaultRoute,
  httpRoutes,
  matchRoute,
  triggersFor,
} from "../../packages/core/src/routes.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const allEntries = [...httpRoutes, defaultRoute, ...bucketTriggers];

/** "functions/http/faces.handler" -> the file and the export it names (files are not imported: they load models). */
function handlerSource(handler: string): { file: string; name: string } {
  const dot = handler.lastIndexOf(".");
  return { file: path.join(root, `${handler.slice(0, dot)}.ts`), name: handler.slice(dot + 1) };
}

describe("httpRoutes", () => {
  it("puts every route under /v1/", () => {
    for (const route of httpRoutes) {
      expect(route.path, route.id).toMatch(/^\/v1\/[\w{}/.-]*[^/]$/);
    }
  });

  it("has unique ids and unique method + path", () => {
    const ids = allEntries.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = httpRoutes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("keeps the fallback as API Gateway's $default route, and a key on everything but health and the API document", () => {
    expect(defaultRoute.path).toBe("$default");
    expect([...httpRoutes, defaultRoute].filter((route) => !route.auth).map((route) => route.id)).toEqual([
      "Health",
      "OpenApi",
    ]);
  });
});

describe("handlers", () => {
  it.each(allEntries.map((entry) => [entry.id, entry.handler]))(
    "%s: %s names an exported function in an existing file",
    (_id, handler) => {
      const { file, name } = handlerSource(handler);
      expect(existsSync(file), `${path.relative(root, file)} exists`).toBe(true);
      const source = readFileSync(file, "utf8");
      expect(source).toMatch(new RegExp(`export\\s+(?:const|let|(?:async\\s+)?function)\\s+${name}\\b`));
    },
  );

  it("are declared in the IAM access table of stacks/functions.ts", () => {
    const stack = readFileSync(path.join(root, "stacks/functions.ts"), "utf8");
    for (const entry of allEntries) {
      expect(stack, entry.id).toMatch(new RegExp(`^\\s*${entry.id}:\\s*\\[`, "m"));
    }
  });
});

describe("Lambda limits", () => {
  it("gives every function 128..10240 MB", () => {
    for (const entry of allEntries) {
      expect(Number.isInteger(entry.memoryMb), entry.id).toBe(true);
      expect(entry.memoryMb, entry.id).toBeGreaterThanOrEqual(128);
      expect(entry.memoryMb, entry.id).toBeLessThanOrEqual(10_240);
    }
  });

  it("keeps HTTP routes within API Gateway's 29 s and triggers within Lambda's 900 s", () => {
    for (const route of [...httpRoutes, defaultRoute]) {
      expect(Number.isInteger(route.timeoutSeconds), route.id).toBe(true);
      expect(route.timeoutSeconds, route.id).toBeGreaterThanOrEqual(1);
      expect(route.timeoutSeconds, route.id).toBeLessThanOrEqual(29);
    }
    for (const trigger of bucketTriggers) {
      expect(trigger.timeoutSeconds, trigger.id).toBeGreaterThanOrEqual(1);
      expect(trigger.timeoutSeconds, trigger.id).toBeLessThanOrEqual(900);
      // stacks/events.ts sets the queue's visibility timeout to 6x this; SQS allows up to 12 hours.
      expect(trigger.timeoutSeconds * 6, trigger.id).toBeLessThanOrEqual(12 * 60 * 60);
    }
  });

  it("keeps SQS event source settings within AWS's limits", () => {
    for (const trigger of bucketTriggers) {
      expect(trigger.batchSize, trigger.id).toBeGreaterThanOrEqual(1);
      expect(trigger.batchSize, trigger.id).toBeLessThanOrEqual(10);
      expect(trigger.maxConcurrency, trigger.id).toBeGreaterThanOrEqual(2);
      expect(trigger.maxConcurrency, trigger.id).toBeLessThanOrEqual(1000);
      expect(trigger.maxReceiveCount, trigger.id).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("matchRoute", () => {
  it("finds a route and its path parameters", () => {
    const match = matchRoute("GET", "/v1/jobs/abc");
    expect(match.route?.id).toBe("Jobs");
    expect("params" in match && match.params).toEqual({ job: "abc" });
  });

  it("decodes parameters and ignores the method's case", () => {
    const match = matchRoute("get", "/v1/jobs/reel%2001");
    expect(match.route?.id).toBe("Jobs");
    expect("params" in match && match.params).toEqual({ job: "reel 01" });
  });

  it("passes an undecodable escape through instead of throwing", () => {
    const match = matchRoute("GET", "/v1/jobs/%E0%A4%A");
    expect("params" in match && match.params).toEqual({ job: "%E0%A4%A" });
  });

  it("finds every declared route by its own method and path", () => {
    for (const route of httpRoutes) {
      const concrete = route.path.replace(/\{\w+\}/g, "x");
      expect(matchRoute(route.method, concrete).route?.id, route.id).toBe(route.id);
    }
  });

  it("reports the allowed methods for a known path with the wrong method", () => {
    const match = matchRoute("POST", "/v1/health");
    expect(match.route).toBeUndefined();
    expect("allowed" in match && match.allowed).toEqual(["GET"]);
    const jobs = matchRoute("DELETE", "/v1/jobs/abc");
    expect("allowed" in jobs && jobs.allowed).toEqual(["GET"]);
  });

  it("matches nothing (and allows nothing) for an unknown path", () => {
    for (const unknown of ["/v1/nope", "/v1/jobs/a/b", "/v1/health/", "/health", "/"]) {
      const match = matchRoute("GET", unknown);
      expect(match.route, unknown).toBeUndefined();
      expect("allowed" in match && match.allowed, unknown).toEqual([]);
    }
  });
});

describe("bucketTriggers and triggersFor", () => {
  it("routes frame uploads in the media bucket to Frames", () => {
    expect(triggersFor("media", "uploads/frames/j/a.jpg").map((trigger) => trigger.id)).toEqual(["Frames"]);
  });

  it("never triggers on results, in either bucket", () => {
    expect(triggersFor("media", "results/j/job.json")).toEqual([]);
    expect(triggersFor("results", "results/j/frames/a.jpg.json")).toEqual([]);
    expect(triggersFor("results", "uploads/frames/j/a.jpg")).toEqual([]);
  });

  it("ignores other uploads and other buckets", () => {
    expect(triggersFor("media", "uploads/media/123/a.jpg")).toEqual([]);
    expect(triggersFor("models", "uploads/frames/j/a.jpg")).toEqual([]);
  });

  it("only listens to the media bucket under uploads/, with non-overlapping prefixes", () => {
    for (const trigger of bucketTriggers) {
      expect(trigger.bucket, trigger.id).toBe("media");
      expect(trigger.prefix, trigger.id).toMatch(/^uploads\/.+\/$/);
    }
    // S3 rejects overlapping prefixes for the same event type on one bucket.
    for (const a of bucketTriggers) {
      for (const b of bucketTriggers) {
        if (a !== b && a.bucket === b.bucket)
          expect(a.prefix.startsWith(b.prefix), `${a.id}/${b.id}`).toBe(false);
      }
    }
  });
});
