import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { InternalError } from "../errors.js";
import type { Services } from "../services.js";

/** Where a batch trigger's S3 events go: its SQS queue in the cloud, the twin's emulation locally. */
export interface BatchQueues {
  send(triggerId: string, body: string): Promise<void>;
}

let local: BatchQueues | undefined;

/** The twin registers its in-process queues here (functions in the cloud use SQS). */
export function setLocalQueues(queues: BatchQueues | undefined): void {
  local = queues;
}

let sqs: SQSClient | undefined;

export function batchQueues(services: Services): BatchQueues {
  if (local) return local;
  const urls = services.config.queueUrls;
  sqs ??= new SQSClient({ region: services.config.region });
  const client = sqs;
  return {
    async send(triggerId, body) {
      const url = urls[triggerId];
      if (!url) throw new InternalError(`No queue URL for ${triggerId} (MAAS_QUEUE_URLS)`);
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    },
  };
}
