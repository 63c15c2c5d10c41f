import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface StoredMessage {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: number;
  /** Order of sending within this process: messages sent in the same millisecond stay in order. */
  sequence?: number;
}

const isStoredMessage = (value: unknown): value is StoredMessage => {
  const message = value as Partial<StoredMessage> | null;
  return (
    typeof message?.messageId === "string" &&
    typeof message.body === "string" &&
    typeof message.receiveCount === "number" &&
    typeof message.sentAt === "number"
  );
};

/**
 * A queue's unsettled messages on disk, one JSON file each, so they outlive the process as SQS
 * messages outlive a consumer: written (atomically, by rename) before a send returns, rewritten with
 * each receive, removed when the message is deleted, moved to `dead/` when it is dead-lettered.
 */
export class QueueStore {
  private readonly deadDirectory: string;

  constructor(private readonly directory: string) {
    this.deadDirectory = path.join(directory, "dead");
    mkdirSync(this.deadDirectory, { recursive: true });
  }

  save(message: StoredMessage): void {
    const file = this.file(message);
    writeFileSync(`${file}.tmp`, JSON.stringify(message));
    renameSync(`${file}.tmp`, file);
  }

  remove(message: StoredMessage): void {
    rmSync(this.file(message), { force: true });
  }

  deadLetter(message: StoredMessage): void {
    this.save(message);
    renameSync(this.file(message), path.join(this.deadDirectory, this.fileName(message)));
  }

  /** Messages left unsettled by an earlier process, oldest first; half-written files are dropped. */
  pending(): StoredMessage[] {
    return this.read(this.directory);
  }

  deadLetters(): StoredMessage[] {
    return this.read(this.deadDirectory);
  }

  private read(directory: string): StoredMessage[] {
    const messages: StoredMessage[] = [];
    for (const name of readdirSync(directory).sort()) {
      const file = path.join(directory, name);
      if (name.endsWith(".tmp")) rmSync(file, { force: true });
      if (!name.endsWith(".json")) continue;
      try {
        const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
        if (isStoredMessage(parsed)) messages.push(parsed);
      } catch {
        rmSync(file, { force: true });
      }
    }
    return messages;
  }

  private fileName(message: StoredMessage): string {
    const sequence = String(message.sequence ?? 0).padStart(12, "0");
    return `${String(message.sentAt).padStart(15, "0")}-${sequence}-${message.messageId}.json`;
  }

  private file(message: StoredMessage): string {
    return path.join(this.directory, this.fileName(message));
  }
}
