import {
  config,
  jsonResponse,
  log,
  runInference,
  services,
  toInferenceRequest,
  warmTask,
} from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

const TASK = "faces";
// Compile the WASM and run the default models once while Lambda's Init phase has the CPU.
await warmTask(TASK, services()).catch((error) => log("error", { warmup: String(error) }));

export const handler = httpEndpoint(
  "Faces",
  (event) => toInferenceRequest(TASK, event, { maxImageBytes: config().maxSyncImageBytes }),
  async (request) => {
    const { modelMs, ...result } = await runInference(request, services());
    return jsonResponse(200, result, { "server-timing": `model;dur=${modelMs.toFixed(2)}` });
  },
);
