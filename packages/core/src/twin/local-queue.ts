import { createHash, randomUUID } from "node:crypto";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { lambdaContext } from "./api-event.js";
import { QueueStore, type StoredMessage } from "./queue-store.js";

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
  /** Where the queue keeps its unsettled messages; without it they live in memory only. */
  directory?: string;
}

type Message = StoredMessage;

/**
 * An SQS queue with an event-source mapping, in process: batches of up to batchSize, at most
 * maxConcurrency invocations at once, partial batch failures retried, then dead-lettered. With a
 * directory it is durable: messages a killed process left unsettled are delivered again by recover().
 */
let sent = 0;

export class LocalQueue {
  readonly deadLetters: Array<{ messageId: string; body: string }> = [];
  private readonly ready: Message[] = [];
  /** Every message sent or recovered and not yet deleted or dead-lettered. */
  private readonly unsettled = new Map<string, Message>();
  private readonly store: QueueStore | undefined;
  private delayed = 0;
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly options: QueueOptions) {
    this.store = options.directory ? new QueueStore(options.directory) : undefined;
  }

  /** Returns once the message is stored (on disk, for a durable queue), as SQS's SendMessage does. */
  send(body: string): void {
    sent += 1;
    this.enqueue({ messageId: randomUUID(), body, receiveCount: 0, sentAt: Date.now(), sequence: sent });
  }

  /** Bodies of the messages an earlier process left unsettled, before recover() queues them. */
  storedBodies(): string[] {
    const known = (message: Message) => this.unsettled.has(message.messageId);
    return (this.store?.pending() ?? []).filter((message) => !known(message)).map((message) => message.body);
  }

  /** Queues again what an earlier process left unsettled (at least once, like SQS); returns the count. */
  recover(): number {
    if (!this.store) return 0;
    this.deadLetters.push(...this.store.deadLetters().map(({ messageId, body }) => ({ messageId, body })));
    const recovered = this.store.pending().filter((message) => !this.unsettled.has(message.messageId));
    for (const message of recovered) {
      // Received maxReceiveCount times without being deleted: it may be what killed the process.
      if (message.receiveCount >= this.options.maxReceiveCount) this.deadLetter(message);
      else this.enqueue(message, { stored: true, pump: false });
    }
    this.pump();
    return recovered.length;
  }

  /** Bodies of the messages not yet deleted or dead-lettered. */
  unsettledBodies(): string[] {
    return [...this.unsettled.values()].map((message) => message.body);
  }

  private enqueue(message: Message, { stored = false, pump = true } = {}): void {
    if (!stored) this.store?.save(message);
    this.unsettled.set(message.messageId, message);
    this.ready.push(message);
    if (pump) this.pump();
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
    for (const message of batch) {
      message.receiveCount += 1;
      this.store?.save(message);
    }
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
    for (const message of batch.filter((candidate) => !failed.has(candidate.messageId))) {
      this.unsettled.delete(message.messageId);
      this.store?.remove(message);
    }
    for (const message of batch.filter((candidate) => failed.has(candidate.messageId))) {
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.deadLetter(message);
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

  private deadLetter(message: Message): void {
    this.options.log(`${this.options.name}: message ${message.messageId} moved to the dead-letter queue`);
    this.unsettled.delete(message.messageId);
    this.store?.deadLetter(message);
    this.deadLetters.push({ messageId: message.messageId, body: message.body });
  }
}
