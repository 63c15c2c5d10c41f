/** Everything that needs every task at once: the registry, the model listing, the API document. */
import { jobSummary } from "./batch/records.js";
import { modelsResponse } from "./operations/catalog-info.js";
import { healthResponse } from "./operations/health.js";
import { jobResults, jobResultsQuery } from "./operations/job-results.js";
import {
  aliasMoved,
  modelVersionsResponse,
  moveAliasRequest,
  recommenderInfo,
} from "./operations/model-versions.js";
import { openApiDocument, type RouteSchemas } from "./operations/openapi.js";
import { reprocessResult } from "./operations/reprocess.js";
import { uploadRequest, uploadTicket } from "./operations/uploads.js";
import { httpRoutes } from "./routes.js";
import { z } from "./schema.js";
import { tasks } from "./tasks/index.js";
import { catalogBuildRequest, catalogInfo } from "./tasks/search/catalog-schemas.js";
import { trainingJobRequest } from "./training/jobs/job-spec.js";
import { jobStatusSchema, queuedJobSchema } from "./training/jobs/status.js";

export { listModels } from "./operations/catalog-info.js";
export { getTask, tasks } from "./tasks/index.js";

import { templateList } from "./tasks/generate/templates.js";

const openApi = z
  .record(z.string(), z.unknown())
  .describe("An OpenAPI 3.1 document")
  .meta({ id: "OpenApiDocument" });

/** Each route's request and response schemas: task routes from their task, the others declared here. */
export function routeSchemas(): Record<string, RouteSchemas> {
  const schemas: Record<string, RouteSchemas> = {
    Health: { response: healthResponse },
    Models: { response: modelsResponse },
    Uploads: { body: uploadRequest, response: uploadTicket, status: 201 },
    Jobs: { response: jobSummary },
    JobResults: { query: jobResultsQuery, response: jobResults },
    JobReprocess: { response: reprocessResult, status: 202 },
    CatalogBuild: { body: catalogBuildRequest, response: catalogInfo, status: 201 },
    CatalogInfo: { response: catalogInfo },
    OpenApi: { response: openApi },
    GenerateTemplates: { response: templateList },
    ModelVersions: { response: modelVersionsResponse },
    Recommender: { response: recommenderInfo },
    ModelAlias: { body: moveAliasRequest, response: aliasMoved },
    TrainingJobs: { body: trainingJobRequest, response: queuedJobSchema, status: 202 },
    TrainingJob: { response: z.union([jobStatusSchema, queuedJobSchema]) },
  };
  for (const route of httpRoutes) {
    const task = route.task && Object.hasOwn(tasks, route.task) ? tasks[route.task] : undefined;
    if (task) schemas[route.id] = { body: task.body, response: task.result, example: task.example };
  }
  return schemas;
}

let document: ReturnType<typeof openApiDocument> | undefined;

export function apiDocument(): ReturnType<typeof openApiDocument> {
  document ??= openApiDocument(routeSchemas());
  return document;
}
