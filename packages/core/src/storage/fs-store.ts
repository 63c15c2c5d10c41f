import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { InvalidInputError } from "../errors.js";
import { type BlobInfo, type BlobStore, type StoredBlob, toBytes } from "./blob-store.js";

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

/** A folder as a blob store (the /tmp model cache). Writes are atomic: temp file, then rename. */
export class FsBlobStore implements BlobStore {
  readonly name: string;

  constructor(private readonly root: string) {
    this.name = `fs:${root}`;
  }

  private pathOf(key: string): string {
    const resolved = path.resolve(this.root, key);
    if (!resolved.startsWith(path.resolve(this.root) + path.sep)) {
      throw new InvalidInputError(`key escapes the store: ${key}`);
    }
    return resolved;
  }

  async get(key: string): Promise<StoredBlob | undefined> {
    try {
      const bytes = new Uint8Array(await readFile(this.pathOf(key)));
      return { key, bytes, size: bytes.byteLength, etag: undefined, contentType: undefined };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    try {
      const info = await stat(this.pathOf(key));
      return { key, size: info.size, etag: undefined };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.${Date.now()}.part`;
    await writeFile(temp, toBytes(body));
    await rename(temp, target);
  }

  /** The exclusive-create flag makes the file system decide. */
  async putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await writeFile(target, toBytes(body), { flag: "wx" });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
  }

  async stream(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    const file = this.pathOf(key);
    try {
      await stat(file);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    return createReadStream(file);
  }

  async putStream(key: string, chunks: AsyncIterable<Uint8Array | string>): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.${Date.now()}.part`;
    await pipeline(chunks, createWriteStream(temp));
    await rename(temp, target);
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    const found: BlobInfo[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: import("node:fs").Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else {
          const key = path.relative(this.root, full).split(path.sep).join("/");
          if (key.startsWith(prefix) && !key.endsWith(".part")) {
            found.push({ key, size: (await stat(full)).size, etag: undefined });
          }
        }
      }
    };
    await walk(this.root);
    return found.sort((a, b) => a.key.localeCompare(b.key));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
