declare module "s3rver" {
  import type { IncomingMessage, ServerResponse } from "node:http";
  import type { AddressInfo } from "node:net";

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: Array<{ name: string; configs?: string[] }>;
  }

  export interface S3rverEventRecord {
    eventName: string;
    s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
  }

  export interface S3rverObject {
    bucket: string;
    key: string;
    content: Buffer | import("node:stream").Readable;
    metadata: Record<string, string>;
  }

  /** The FilesystemStore methods the twin guards: every object path is computed by getResourcePath. */
  export interface S3rverStore {
    putObject(object: S3rverObject): Promise<{ size: number; md5: string }>;
    rootDirectory: string;
    getBucketPath(bucket: string): string;
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
    initiateUpload(bucket: string, key: string, uploadId: string, metadata: unknown): Promise<void>;
    putPart(bucket: string, uploadId: string, partNumber: number, content: unknown): Promise<unknown>;
    putObjectMultipart(bucket: string, uploadId: string, parts: unknown): Promise<unknown>;
  }

  export default class S3rver {
    constructor(options: S3rverOptions);
    readonly store: S3rverStore;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    /** Creates the configured buckets (run() does it before listening). */
    configureBuckets(): Promise<unknown>;
    /** The Koa request listener, to serve s3rver from another HTTP server. */
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    on(event: "event", listener: (event: { Records: S3rverEventRecord[] }) => void): this;
  }
}

declare module "s3rver/lib/models/error.js" {
  /** s3rver's error: thrown from a store method, s3rver answers with it as S3 XML. */
  export default class S3Error extends Error {
    constructor(code: string, message: string, detail?: Record<string, string>);
    readonly code: string;
    readonly status: number;
    toXML(): string;
  }
}

declare module "s3rver/lib/models/object.js" {
  /** s3rver's object model; ALLOWED_METADATA is the stored metadata it keeps besides x-amz-meta-*. */
  const S3Object: { readonly ALLOWED_METADATA: readonly string[] };
  export default S3Object;
}
