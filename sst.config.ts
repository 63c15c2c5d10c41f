/// <reference path="./.sst/platform/config.d.ts" />

/**
 * Marquee on AWS: three private buckets, one HTTP API (API Gateway v2) and one SQS-fed Lambda per
 * bucket trigger. The routing table itself lives in packages/core/src/routes.ts; `stacks/` only turns
 * it into resources.
 *
 *   npx sst secret set ApiKeyHashes "<sha256>[,<sha256>...]" --stage <stage>   (see `npm run keys:new`)
 *   npx sst deploy --stage <stage>
 */
export default $config({
  app(input) {
    const stage = input?.stage ?? "unknown";
    return {
      name: "marquee",
      home: "aws",
      // Production keeps its buckets (and their data) when the stage is removed, and cannot be removed
      // with `sst remove` at all. Every other stage is disposable.
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: ["production"].includes(input?.stage),
      providers: {
        aws: {
          defaultTags: { tags: { app: "marquee", stage } },
        },
      },
    };
  },
  async run() {
    // Graviton (arm64) and Node 22 for every function, including any SST creates on our behalf; the
    // factory in stacks/functions.ts sets both explicitly as well.
    $transform(sst.aws.Function, (args) => {
      args.architecture ??= "arm64";
      args.runtime ??= "nodejs22.x";
    });

    const storage = await import("./stacks/storage");
    const { api } = await import("./stacks/api");
    const events = await import("./stacks/events");
    const streaming = await import("./stacks/streaming");

    return {
      api: api.url,
      mediaBucket: storage.media.name,
      resultsBucket: storage.results.name,
      modelsBucket: storage.models.name,
      ...events.outputs,
      ...streaming.outputs,
    };
  },
});
