/**
 * A trained model's versions and aliases over HTTP: `GET /v1/models/{family}/{name}/versions` lists the
 * versions (training info, metrics, parent) and where each alias points; `POST …/aliases/{alias}`
 * `{version, model?, expected?}` moves an alias with one conditional write (promotion, or rollback to an
 * earlier version or to the catalog model it replaced). Serving picks the change up within the alias TTL.
 */
import { ConfigError, ConflictError, InvalidInputError, NotFoundError } from "../errors.js";
import { MODEL_ID } from "../model-store/manifest.js";
import { type ModelVersions, VERSION } from "../model-store/versions.js";
import { parseWith, z } from "../schema.js";
import type { Services } from "../services.js";

const target = z.object({ model: z.string(), version: z.string() });
const aliasState = target
  .extend({
    seq: z.number().describe("Changes so far: pass it as `expected` to move only from here"),
    at: z.string(),
  })
  .extend({ previous: target.nullable() });

export const modelVersionsResponse = z
  .object({
    model: z.string(),
    versions: z.array(
      z.object({
        version: z.string(),
        job: z.string(),
        algorithm: z.string(),
        createdAt: z.string(),
        dataFingerprint: z.string(),
        metrics: z.record(z.string(), z.unknown()),
        parent: target.nullable(),
      }),
    ),
    aliases: z.record(z.string(), aliasState),
  })
  .meta({ id: "ModelVersions" });

export const moveAliasRequest = z
  .object({
    version: z.string().min(1).max(64),
    model: z
      .string()
      .regex(MODEL_ID)
      .optional()
      .describe("Another model to point at (a rollback to the catalog)"),
    expected: z.number().int().min(0).optional().describe("Fail with 409 unless the alias is at this change"),
  })
  .meta({ id: "MoveAliasRequest" });

export const aliasMoved = aliasState.meta({ id: "AliasMoved" });

function modelOf(family: string, name: string): string {
  const id = `${family}/${name}`;
  if (!MODEL_ID.test(id)) throw new InvalidInputError(`"${id.slice(0, 80)}" is not a model id`);
  return id;
}

/** The store of trained versions; every deployment has one (the models bucket). */
export function versionsOf(services: Services): ModelVersions {
  if (!services.registry.versions) throw new ConfigError("The models bucket is not configured");
  return services.registry.versions;
}

export async function listModelVersions(family: string, name: string, services: Services) {
  const id = modelOf(family, name);
  const versions = versionsOf(services);
  const manifests = await versions.list(id);
  if (manifests.length === 0) throw new NotFoundError(`Model ${id} has no trained versions`);
  const aliases: Record<string, z.output<typeof aliasState>> = {};
  for (const alias of await versions.aliasNames(id)) {
    const record = await versions.alias(id, alias);
    if (record) {
      const { nonce: _nonce, ...shown } = record;
      aliases[alias] = shown;
    }
  }
  return {
    model: id,
    versions: manifests.map(({ version, training }) => ({
      version,
      job: training.job,
      algorithm: training.algorithm,
      createdAt: training.createdAt,
      dataFingerprint: training.dataFingerprint,
      metrics: training.metrics,
      parent: training.parent,
    })),
    aliases,
  };
}

export async function moveModelAlias(
  family: string,
  name: string,
  alias: string,
  body: unknown,
  services: Services,
): Promise<z.output<typeof aliasMoved>> {
  const id = modelOf(family, name);
  const request = parseWith(moveAliasRequest, body);
  const versions = versionsOf(services);
  const model = request.model ?? id;
  if (model === id) {
    if (!VERSION.test(request.version) || !(await versions.manifest(id, request.version))) {
      throw new NotFoundError(`Model ${id} has no version "${request.version.slice(0, 64)}"`);
    }
  } else {
    const entry = await services.registry.resolve(model).catch(() => undefined);
    if (!entry || entry.version !== request.version) {
      throw new NotFoundError(`No model ${model} at version "${request.version.slice(0, 64)}"`);
    }
  }
  const current = await versions.alias(id, alias);
  if (request.expected !== undefined && request.expected !== (current?.seq ?? 0)) {
    throw new ConflictError(
      `Alias ${alias} of ${id} is at change ${current?.seq ?? 0}, not ${request.expected}`,
    );
  }
  const { nonce: _nonce, ...moved } = await versions.moveAlias(
    id,
    alias,
    { model, version: request.version },
    current?.seq ?? 0,
  );
  services.registry.forgetAliases();
  return moved;
}

export const recommenderInfo = z
  .object({
    name: z.string(),
    model: z.string(),
    default: z
      .object({ version: z.string(), algorithm: z.string(), metrics: z.record(z.string(), z.unknown()) })
      .nullable()
      .describe("What POST /v1/recommendations serves now"),
    versions: modelVersionsResponse.shape.versions,
    aliases: modelVersionsResponse.shape.aliases,
  })
  .meta({ id: "RecommenderInfo" });

/** `GET /v1/recommenders/{name}`: the served version's algorithm and metrics, and every version. */
export async function recommenderInfoOf(
  name: string,
  services: Services,
): Promise<z.output<typeof recommenderInfo>> {
  const listed = await listModelVersions("recommender", name, services);
  const pointed = listed.aliases.default;
  const served = listed.versions.find((version) => version.version === pointed?.version);
  return {
    name,
    ...listed,
    default: served
      ? { version: served.version, algorithm: served.algorithm, metrics: served.metrics }
      : null,
  };
}
