/** `npm start`: the local twin on http://127.0.0.1:$PORT (default 3000) with S3 on $S3_PORT (default 4569). */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startTwin } from "@marquee/core/twin";

// The SDK warns that Node 20 support ends in 2027; Lambda runs nodejs22.x, the twin is local only.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const twin = await startTwin({
  root,
  dataDir: process.env.MAAS_TWIN_DIR ?? path.join(root, ".marquee"),
  port: Number(process.env.PORT ?? 3000),
  s3Port: Number(process.env.S3_PORT ?? 4569),
  streamPort: Number(process.env.STREAM_PORT ?? 3001),
  apiKey: process.env.MAAS_DEV_API_KEY,
});

const image = "../shared/data/images/faces/2.jpg";
console.log(`
Marquee local twin is up.
  API        ${twin.apiUrl}
  Streaming  ${twin.streamUrls.GenerateStream}  (POST /v1/generate with "stream": true; a function URL in the cloud)
  S3         ${twin.s3Endpoint}  (buckets: ${Object.values(twin.buckets).join(", ")}; access key S3RVER / S3RVER)
  API key    ${twin.apiKey}

Try:
  curl -s ${twin.apiUrl}/v1/health
  curl -s -H "x-api-key: ${twin.apiKey}" -H "content-type: image/jpeg" --data-binary @${image} ${twin.apiUrl}/v1/faces
  AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER aws --endpoint-url ${twin.s3Endpoint} s3 cp ${image} s3://${twin.buckets.media}/uploads/frames/job1/2.jpg
  curl -s -H "x-api-key: ${twin.apiKey}" ${twin.apiUrl}/v1/jobs/job1
  curl -s -H "x-api-key: ${twin.apiKey}" -H "content-type: application/json" -d '{"texts":["A gripping film."]}' ${twin.apiUrl}/v1/sentiment
  curl -s -H "x-api-key: ${twin.apiKey}" -H "content-type: application/json" -d '{"prompt":"Once upon a time, a brave knight","max_tokens":40,"temperature":0}' ${twin.apiUrl}/v1/generate
  curl -sN -H "x-api-key: ${twin.apiKey}" -H "content-type: application/json" -d '{"prompt":"Once upon a time","stream":true,"seed":1}' ${twin.streamUrls.GenerateStream}/v1/generate
  curl -s ${twin.apiUrl}/v1/openapi.json
Ctrl-C stops it.`);

const stop = async () => {
  await twin.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
