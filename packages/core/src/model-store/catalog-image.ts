import type { ModelEntry } from "./catalog-types.js";

/** Image classifiers (frame labels) and moderation models. */
export const imageModels: readonly ModelEntry[] = [];
