/**
 * Plot-text embeddings for a content or hybrid recommender: the first catalogue (`*.json`, see
 * ingest/catalog.ts) uploaded beside the ratings is joined to the items by title and year, and each joined
 * text is embedded through the embeddings task. The vectors are centred (their mean removed: averaged word
 * vectors share one large common direction that would make every film look alike); items without a text
 * get a zero row.
 */
import type { ItemEmbeddings } from "../ratings/algorithms/content.js";
import type { RatingsDataset } from "../ratings/dataset.js";
import { joinCatalog, readCatalog } from "../ratings/ingest/catalog.js";
import type { UploadedFile } from "../ratings/ingest/files.js";

export type Embed = (
  texts: readonly string[],
  model?: string,
) => Promise<{ vectors: Float32Array[]; model: { id: string; version: string } }>;

export interface ItemTexts {
  embeddings: ItemEmbeddings;
  file: string;
  model: { id: string; version: string };
}

export async function itemTexts(
  files: readonly UploadedFile[],
  dataset: RatingsDataset,
  embed: Embed,
  model?: string,
): Promise<ItemTexts | undefined> {
  const metadata = dataset.metadata;
  if (!metadata) return undefined;
  for (const file of files) {
    if (!file.name.toLowerCase().endsWith(".json")) continue;
    const films = readCatalog(file.bytes);
    if (!films) continue;
    const texts = joinCatalog(metadata.titles, metadata.years, films);
    const covered = texts.flatMap((text, item) => (text === undefined ? [] : [item]));
    if (covered.length === 0) continue;
    const embedded = await embed(
      covered.map((item) => texts[item] as string),
      model,
    );
    const vectors = embedded.vectors;
    const dims = vectors[0]?.length ?? 0;
    const matrix = new Float32Array(texts.length * dims);
    const mean = meanOf(vectors, dims);
    covered.forEach((item, row) => {
      const vector = vectors[row] as Float32Array;
      for (let d = 0; d < dims; d++) matrix[item * dims + d] = (vector[d] as number) - (mean[d] as number);
    });
    return {
      embeddings: { vectors: matrix, dims, covered: covered.length },
      file: file.name,
      model: embedded.model,
    };
  }
  return undefined;
}

function meanOf(vectors: readonly Float32Array[], dims: number): Float64Array {
  const mean = new Float64Array(dims);
  for (const vector of vectors) {
    for (let d = 0; d < dims; d++) mean[d] = (mean[d] as number) + (vector[d] as number) / vectors.length;
  }
  return mean;
}
