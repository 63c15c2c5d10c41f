/**
 * s3rver writes an object's content, md5 and metadata files in place, so a twin killed in the middle of a
 * PUT left a truncated file: S3 never shows a PUT that did not complete, and a torn metadata.json made
 * s3rver answer InternalError to every read of the key and every listing of its prefix. Here each file is
 * written beside its final name and renamed into place, content last; what a kill leaves behind is
 * removed when the store opens.
 */
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { S3rverObject, S3rverStore } from "s3rver";
import S3Object from "s3rver/lib/models/object.js";

const PARTIAL = ".marquee-partial-";
const keptMetadata = (metadata: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(metadata).filter(
      ([name]) => S3Object.ALLOWED_METADATA.includes(name) || name.startsWith("x-amz-meta-"),
    ),
  );

export function atomicWrites(store: S3rverStore): void {
  store.putObject = async (object: S3rverObject) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, "object");
    const metadataPath = store.getResourcePath(object.bucket, object.key, "metadata.json");
    await mkdir(path.dirname(objectPath), { recursive: true });
    const tag = `${PARTIAL}${randomUUID()}`;
    const temps = [`${objectPath}${tag}`, `${objectPath}.md5${tag}`, `${metadataPath}${tag}`] as const;
    const md5 = createHash("md5");
    let size = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        md5.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    try {
      await pipeline(source, counted, createWriteStream(temps[0]));
      const digest = md5.digest("hex");
      await writeFile(temps[1], digest);
      await writeFile(temps[2], JSON.stringify(keptMetadata(object.metadata), null, 2));
      await rename(temps[1], `${objectPath}.md5`);
      await rename(temps[2], metadataPath);
      await rename(temps[0], objectPath);
      return { size, md5: digest };
    } catch (error) {
      await Promise.all(temps.map((temp) => unlink(temp).catch(() => undefined)));
      throw error;
    }
  };
}

/** Deletes the partial files of writes a kill interrupted; returns how many there were. */
export async function removeTornWrites(root: string): Promise<number> {
  let removed = 0;
  const visit = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await visit(full);
      else if (entry.name.includes(PARTIAL)) {
        await unlink(full);
        removed += 1;
      }
    }
  };
  await visit(root);
  return removed;
}
