import { createHash, randomUUID } from "node:crypto";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { lambdaContext } from "./api-event.js";

export interface QueueOptions {
  name: string;
  region: string;
  batchSize: number;
  maxConcurrency: number;
  maxReceiveCount: number;
  retryDelayMs: number;
  /** The consuming function's memory and timeout, for the Lambda context it is invoked with. */
  memoryMb: number;
  timeoutSeconds: number;
  consumer: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;
  log: (line: string) => void;
}

interface Message {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: number;
}

/**
 * An SQS queue with an event-source mapping, in process: batches of up to batchSize, at most
 * maxConcurrency invocations at once, partial batch failures retried, then dead-lettered.
 */
export class LocalQueue {
  readonly deadLetters: Array<{ messageId: string; body: string }> = [];
  private readonly ready: Message[] = [];
  private delayed = 0;
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly options: QueueOptions) {}

  send(body: string): void {
    this.ready.push({ messageId: randomUUID(), body, receiveCount: 0, sentAt: Date.now() });
    this.pump();
  }

  /** Resolves once nothing is queued, delayed for retry, or being processed. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.ready.length === 0 && this.delayed === 0 && this.inFlight === 0;
  }

  private pump(): void {
    while (this.ready.length > 0 && this.inFlight < this.options.maxConcurrency) {
      const batch = this.ready.splice(0, this.options.batchSize);
      this.inFlight += 1;
      void this.deliver(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
        if (this.isIdle()) for (const resolve of this.waiters.splice(0)) resolve();
      });
    }
  }

  private record(message: Message): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: randomUUID(),
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: "AIDALOCALTWIN",
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: createHash("md5").update(message.body).digest("hex"),
      eventSource: "aws:sqs",
      eventSourceARN: `arn:aws:sqs:${this.options.region}:000000000000:${this.options.name}`,
      awsRegion: this.options.region,
    };
  }

  private async deliver(batch: Message[]): Promise<void> {
    for (const message of batch) message.receiveCount += 1;
    let failed: Set<string>;
    try {
      const context = lambdaContext(this.options.name, this.options.memoryMb, this.options.timeoutSeconds);
      const response = await this.options.consumer(
        { Records: batch.map((message) => this.record(message)) },
        context,
      );
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      this.options.log(`${this.options.name}: invocation failed: ${String(error)}`);
      failed = new Set(batch.map((message) => message.messageId));
    }
    for (const message of batch.filter((candidate) => failed.has(candidate.messageId))) {
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.options.log(`${this.options.name}: message ${message.messageId} moved to the dead-letter queue`);
        this.deadLetters.push({ messageId: message.messageId, body: message.body });
        continue;
      }
      this.delayed += 1;
      setTimeout(() => {
        this.delayed -= 1;
        this.ready.push(message);
        this.pump();
      }, this.options.retryDelayMs);
    }
  }
}
