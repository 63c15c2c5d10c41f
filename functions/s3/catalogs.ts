import { catalogsKind } from "@marquee/core/batch/catalogs";
import { embeddingsTask } from "@marquee/core/tasks/embeddings";
import { batchHandler } from "../batch.js";

/** Catalogue items uploaded under uploads/catalogs/<name>/ arrive as S3 notifications through SQS. */
export const handler = await batchHandler(catalogsKind, embeddingsTask);
