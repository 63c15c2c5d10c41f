import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { IntegrityError, ModelNotInstalledError } from "../errors.js";
import type { BlobStore } from "../storage/blob-store.js";
import { modelFileKey } from "./catalog.js";
import type { ModelEntry, ModelFile } from "./catalog-types.js";
import { sha256Hex } from "./sha256.js";

export interface PullOptions {
  /** A folder or an http(s) base URL laid out as `<model id>/<file name>`; tried before the public URL. */
  mirror: string | undefined;
  target: BlobStore;
  fetchImpl?: typeof fetch;
  log?: (line: string) => void;
  /** "report": a model that cannot be had is reported as missing (with why) instead of stopping the pull. */
  onMissing?: "throw" | "report";
  /** Where `npm:` sources resolve from (a file URL or path); default this package. */
  npmFrom?: string;
}

export interface PullReport {
  id: string;
  file: string;
  outcome: "present" | "pulled" | "missing";
  from: string;
  /** Why a missing file could not be had. */
  reason?: string;
}

async function readFromMirror(mirror: string, entry: ModelEntry, file: ModelFile, fetchImpl: typeof fetch) {
  if (/^https?:\/\//.test(mirror)) {
    const url = `${mirror.replace(/\/$/, "")}/${entry.id}/${file.name}`;
    const response = await fetchImpl(url);
    return response.ok ? { bytes: new Uint8Array(await response.arrayBuffer()), from: url } : undefined;
  }
  const file_ = path.join(mirror, entry.id, file.name);
  try {
    return { bytes: new Uint8Array(await readFile(file_)), from: file_ };
  } catch {
    return undefined;
  }
}

const NPM_URL = /^npm:((?:@[\w.-]+\/)?[\w.-]+)@([\w.+-]+)\/(.+)$/;

/**
 * `npm:<package>@<version>/<path>`: a file an npm package ships (a dependency of this project), read
 * from the installed package after checking it is the pinned version.
 */
async function readFromNpm(url: string, resolveFrom: string) {
  const match = NPM_URL.exec(url);
  if (!match) throw new ModelNotInstalledError(`${url} is not npm:<package>@<version>/<path>`);
  const [, name, version, file] = match as unknown as [string, string, string, string];
  if (file.split("/").some((segment) => segment === ".." || segment === "")) {
    throw new ModelNotInstalledError(`${url}: the path inside the package must not leave it`);
  }
  // Not require.resolve(`${name}/package.json`): a package's `exports` may hide its package.json.
  const folders = createRequire(resolveFrom).resolve.paths(name) ?? [];
  const manifest = folders
    .map((folder) => path.join(folder, name, "package.json"))
    .find((file) => existsSync(file));
  if (!manifest) {
    throw new ModelNotInstalledError(
      `${url}: npm package ${name} is not installed (npm install ${name}@${version})`,
    );
  }
  const installed = (JSON.parse(await readFile(manifest, "utf8")) as { version?: string }).version;
  if (installed !== version) {
    throw new ModelNotInstalledError(
      `${url}: ${name} ${installed} is installed, the catalog pins ${version}`,
    );
  }
  const from = path.join(path.dirname(manifest), file);
  try {
    return { bytes: new Uint8Array(await readFile(from)), from };
  } catch (cause) {
    throw new ModelNotInstalledError(`${url}: ${name}@${version} has no ${file}`, { cause });
  }
}

async function download(url: string, fetchImpl: typeof fetch, resolveFrom = import.meta.url) {
  if (url.startsWith("npm:")) return readFromNpm(url, resolveFrom);
  try {
    const response = await fetchImpl(url, { redirect: "follow" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return { bytes: new Uint8Array(await response.arrayBuffer()), from: url };
  } catch (cause) {
    throw new ModelNotInstalledError(`could not download ${url}; set MAAS_MODEL_MIRROR to a model mirror`, {
      cause,
    });
  }
}

/** Copies each model file into the target store (the models bucket), mirror first, public URL second. */
export async function pullModels(
  entries: readonly ModelEntry[],
  options: PullOptions,
): Promise<PullReport[]> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const reports: PullReport[] = [];
  for (const entry of entries) {
    for (const file of entry.files) {
      try {
        reports.push(await pullFile(entry, file, options, fetchImpl));
      } catch (error) {
        if (options.onMissing !== "report" || !(error instanceof ModelNotInstalledError)) throw error;
        reports.push({ id: entry.id, file: file.name, outcome: "missing", from: "", reason: error.message });
      }
    }
  }
  return reports;
}

async function pullFile(
  entry: ModelEntry,
  file: ModelFile,
  options: PullOptions,
  fetchImpl: typeof fetch,
): Promise<PullReport> {
  const key = modelFileKey(entry, file.name);
  const present = await options.target.head(key);
  if (present && present.size === file.bytes) {
    return { id: entry.id, file: file.name, outcome: "present", from: options.target.name };
  }
  const fetched =
    (options.mirror && (await readFromMirror(options.mirror, entry, file, fetchImpl))) ||
    (file.url ? await download(file.url, fetchImpl, options.npmFrom) : undefined);
  if (!fetched) {
    throw new ModelNotInstalledError(
      `${entry.id}/${file.name} is only published through a model mirror; set MAAS_MODEL_MIRROR`,
    );
  }
  const actual = sha256Hex(fetched.bytes);
  if (actual !== file.sha256) {
    throw new IntegrityError(`sha256 mismatch for ${fetched.from}: expected ${file.sha256}, got ${actual}`);
  }
  await options.target.put(key, fetched.bytes, { contentType: "application/octet-stream" });
  options.log?.(`pulled ${entry.id}/${file.name} from ${fetched.from}`);
  return { id: entry.id, file: file.name, outcome: "pulled", from: fetched.from };
}

/** What to tell an operator about models a pull could not get (empty when none is missing). */
export function missingModelsMessage(reports: readonly PullReport[]): string {
  const missing = [...new Set(reports.filter((r) => r.outcome === "missing").map((r) => r.id))];
  if (missing.length === 0) return "";
  return [
    `models: ${missing.length} not installed, their tasks answer 503 until they are: ${missing.join(", ")}`,
    "  get them: put the shared/ model mirror next to this repository (../shared/models), or set",
    "  MAAS_MODEL_MIRROR to a folder or https:// base laid out as <model id>/<file>, then restart",
    "  (in the cloud: npm run models:pull with MAAS_MODELS_BUCKET set).",
  ].join("\n");
}
