/** One file inside an archive; `read` decompresses it on demand and throws for this entry alone. */
export interface RawEntry {
  name: string;
  /** Uncompressed size as the archive declares it. */
  size: number;
  read(): Uint8Array;
}
