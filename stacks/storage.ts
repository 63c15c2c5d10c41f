/**
 * Buckets and secrets. SST names every bucket per app and stage (e.g. `marquee-prod-mediabucket-abc123`),
 * blocks public access, and adds a bucket policy that denies any request made without TLS
 * (`aws:SecureTransport = false`, SST's `enforceHttps`, on by default; set explicitly here so it stays on).
 *
 * - media:   users' uploads under `uploads/...`, PUT straight from clients through presigned URLs,
 *            hence the PUT-only CORS rule. The only bucket with notifications (stacks/events.ts).
 * - results: `results/...`, written by the functions. Never a notification source, so nothing a function
 *            writes can trigger a function again.
 * - models:  model weights, copied in by `npm run models:pull`.
 */

/** Retained stages (production) keep their objects: a bucket that still holds objects is never emptied. */
const disposable = $app.removal === "remove";

function privateBucket(name: string, cors: sst.aws.BucketArgs["cors"] = false): sst.aws.Bucket {
  const bucket = new sst.aws.Bucket(name, {
    enforceHttps: true,
    cors,
    transform: {
      bucket: (args) => {
        args.forceDestroy = disposable;
      },
    },
  });
  // S3 encrypts new objects with SSE-S3 by default; say so explicitly (with an S3 Bucket Key) so the
  // setting is visible in code and drift is caught. SSE-S3 needs no KMS permissions in the functions.
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}Encryption`,
    {
      bucket: bucket.name,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    },
    { parent: bucket },
  );
  return bucket;
}

export const media = privateBucket("Media", {
  allowMethods: ["PUT"],
  allowOrigins: ["*"],
  // The presigned URL carries the signature; browsers send the content type (and SDKs may add checksums).
  allowHeaders: ["content-type", "content-md5", "x-amz-*"],
  exposeHeaders: ["ETag"],
  maxAge: "1 hour",
});

export const results = privateBucket("Results");

export const models = privateBucket("Models");

/**
 * Comma-separated sha256 hex digests of the API keys (`npm run keys:new` prints one). No placeholder:
 * a stage cannot deploy until `npx sst secret set ApiKeyHashes "<hash>[,<hash>]" --stage <stage>` ran.
 */
export const apiKeyHashes = new sst.Secret("ApiKeyHashes");

/**
 * Signs job-completion webhooks (HMAC-SHA256, header `marquee-signature`); at least 16 characters.
 * `npx sst secret set WebhookSecret "$(openssl rand -hex 32)" --stage <stage>`; receivers verify with it.
 */
export const webhookSecret = new sst.Secret("WebhookSecret");

/**
 * Keys the HMAC that pseudonymises user ids when ratings are ingested (at least 16 characters); never
 * logged. `npx sst secret set PseudonymKey "$(openssl rand -hex 32)" --stage <stage>`. Changing it makes
 * every user a new user to models trained later.
 */
export const pseudonymKey = new sst.Secret("PseudonymKey");
