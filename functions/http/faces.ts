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
const warm = warmTask(TASK, services()).catch((error) => log("error", { warmup: String(error) }));
await warm;

export const handler = httpEndpoint("Faces", async (event) => {
  const request = toInferenceRequest(TASK, event, { maxImageBytes: config().maxSyncImageBytes });
  const { modelMs, ...result } = await runInference(request, services());
  return jsonResponse(200, result, { "server-timing": `model;dur=${modelMs.toFixed(2)}` });
});
