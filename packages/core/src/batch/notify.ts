import { createHash, createHmac } from "node:crypto";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { log } from "../log.js";
import { parseWith, z } from "../schema.js";
import type { Services } from "../services.js";
import { claimOnce, getJson, putJson } from "../storage/blob-store.js";
import type { JobSummary } from "./records.js";

const ATTEMPTS = 5;
const FIRST_DELAY_MS = 500;
const ATTEMPT_TIMEOUT_MS = 5000;

/** `manifest.json` may ask for a webhook: `{ "webhook": { "url": "https://…" } }`. */
export const webhookManifest = z.object({
  webhook: z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(2048) }).optional(),
});

export interface Delivery {
  id: string;
  url?: string;
  attempts: number;
  status?: number;
  delivered: boolean;
  error?: string;
  event?: "sent" | "not configured" | "failed";
  at: string;
}

/** Header value `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (verify both, reject old t). */
export function signWebhook(secret: string, body: string, timestamp: number): string {
  const digest = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${digest}`;
}

/** One id per completion: the same finished state always has the same id (deliveries are deduplicated). */
function completionId(summary: JobSummary): string {
  const state = JSON.stringify([summary.job, summary.status, summary.uploads, summary.counts]);
  return createHash("sha256").update(state).digest("hex").slice(0, 16);
}

function allowedUrl(url: string, stage: string): boolean {
  const parsed = new URL(url);
  if (parsed.protocol === "https:") return true;
  return stage === "local" && ["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname);
}

async function post(url: string, body: string, secret: string, id: string) {
  let last: { status?: number; error?: string } = {};
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "marquee-event-id": id,
          "marquee-signature": signWebhook(secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      if (response.ok) return { attempts: attempt, status: response.status, delivered: true };
      last = { status: response.status };
      if (response.status < 500 && response.status !== 429)
        return { attempts: attempt, ...last, delivered: false };
    } catch (error) {
      last = { error: error instanceof Error ? error.message : String(error) };
    }
    if (attempt < ATTEMPTS)
      await new Promise((resolve) => setTimeout(resolve, FIRST_DELAY_MS * 2 ** (attempt - 1)));
  }
  return { attempts: ATTEMPTS, ...last, delivered: false };
}

let eventBridge: EventBridgeClient | undefined;

async function putEvent(services: Services, detail: Record<string, unknown>): Promise<Delivery["event"]> {
  const bus = services.config.eventBus;
  if (!bus) return "not configured";
  try {
    eventBridge ??= new EventBridgeClient({ region: services.config.region });
    await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: bus,
            Source: "marquee.batch",
            DetailType: "Batch Job Finished",
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    return "sent";
  } catch (error) {
    log("error", { event: "Batch Job Finished", job: detail.job, error: String(error) });
    return "failed";
  }
}

/**
 * Tells the world a job finished: an EventBridge event (in the cloud) and the manifest's webhook,
 * signed and retried with backoff. Once per completion: a record under results/<job>/notifications/
 * says it was done, so a redelivered message or a second finisher sends nothing again.
 */
export async function notifyJobFinished(
  summary: JobSummary,
  manifest: unknown,
  services: Services,
): Promise<Delivery | undefined> {
  const id = completionId(summary);
  const recordKey = `results/${summary.job}/notifications/${id}.json`;
  const done = await getJson<Delivery>(services.results, recordKey);
  if (done) return done;
  // Two deliveries can finish the job at once: one of them notifies.
  if (!(await claimOnce(services.results, `results/${summary.job}/notifications/${id}.claim`)))
    return undefined;
  const detail = {
    id,
    type: "job.finished",
    job: summary.job,
    kind: summary.kind,
    status: summary.status,
    uploads: summary.uploads,
    counts: summary.counts,
    resultsPrefix: summary.resultsPrefix,
    finishedAt: summary.updatedAt,
  };
  const event = await putEvent(services, detail);
  let delivery: Delivery = { id, attempts: 0, delivered: false, event, at: new Date().toISOString() };
  let url: string | undefined;
  try {
    url = parseWith(webhookManifest, manifest ?? {}, "manifest").webhook?.url;
  } catch (error) {
    delivery.error = (error as Error).message;
  }
  if (url) {
    const secret = services.config.webhookSecret;
    if (!allowedUrl(url, services.config.stage))
      delivery = { ...delivery, url, error: "webhook url must be https" };
    else if (!secret)
      delivery = { ...delivery, url, error: "no webhook secret configured (MAAS_WEBHOOK_SECRET)" };
    else delivery = { ...delivery, url, ...(await post(url, JSON.stringify(detail), secret, id)) };
  }
  await putJson(services.results, recordKey, delivery);
  log(delivery.error ? "warn" : "info", { notified: summary.job, ...delivery });
  return delivery;
}
