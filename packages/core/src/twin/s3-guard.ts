import { randomBytes } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import S3Error from "s3rver/lib/models/error.js";
import type { S3Refusal } from "./s3-key-policy.js";

const has = (query: URLSearchParams, ...names: string[]) => names.every((name) => query.has(name));

/**
 * s3rver serves requests that carry no credentials at all; S3 answers them AccessDenied on a private
 * bucket. Signed requests (an Authorization header, or a presigned URL's query) go on to s3rver,
 * which checks the access key. CORS preflights carry no credentials in S3 either.
 */
export function unsignedRefusal(request: IncomingMessage): S3Refusal | undefined {
  if (request.method === "OPTIONS" || request.headers.authorization) return undefined;
  const query = new URL(request.url ?? "/", "http://twin").searchParams;
  if (has(query, "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature")) return undefined;
  if (has(query, "AWSAccessKeyId", "Signature")) return undefined;
  return { status: 403, code: "AccessDenied", message: "Access Denied" };
}

export function sendS3Error(request: IncomingMessage, response: ServerResponse, refusal: S3Refusal): void {
  const requestId = randomBytes(8).toString("hex").toUpperCase();
  const xml = new S3Error(refusal.code, refusal.message, { ...refusal.detail, RequestId: requestId }).toXML();
  request.resume();
  response.writeHead(refusal.status, {
    "content-type": "application/xml",
    "content-length": Buffer.byteLength(xml),
    "x-amz-request-id": requestId,
  });
  response.end(request.method === "HEAD" ? undefined : xml);
}

/** The twin's S3 request listener: refuses unsigned requests, hands the rest to s3rver. */
export function guarded(s3rver: RequestListener): RequestListener {
  return (request, response) => {
    const refusal = unsignedRefusal(request);
    if (refusal) sendS3Error(request, response, refusal);
    else s3rver(request, response);
  };
}
