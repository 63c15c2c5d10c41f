import { InvalidInputError } from "../errors.js";
import type { ModelEntry } from "../model-store/catalog-types.js";
import type { ModelAccess } from "../tasks/types.js";

/** A JSON file of a model folder (tokenizer.json, config.json, vocab.json…), or undefined if absent. */
export async function modelJson<T = unknown>(
  models: ModelAccess,
  entry: ModelEntry,
  name: string,
): Promise<T | undefined> {
  if (!entry.files.some((file) => file.name === name)) return undefined;
  return JSON.parse(new TextDecoder().decode(await models.file(entry, name))) as T;
}

export async function requiredJson<T = unknown>(
  models: ModelAccess,
  entry: ModelEntry,
  name: string,
): Promise<T> {
  const json = await modelJson<T>(models, entry, name);
  if (json === undefined) throw new InvalidInputError(`Model ${entry.id} has no ${name}`);
  return json;
}

/** One value per model version, built once (tokenizers, vocabularies); a failed build is retried. */
export function perModel<T>(build: (entry: ModelEntry, models: ModelAccess) => Promise<T>) {
  const cache = new Map<string, Promise<T>>();
  return (entry: ModelEntry, models: ModelAccess): Promise<T> => {
    const key = `${entry.id}@${entry.version}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = build(entry, models);
      pending.catch(() => cache.delete(key));
      cache.set(key, pending);
    }
    return pending;
  };
}
