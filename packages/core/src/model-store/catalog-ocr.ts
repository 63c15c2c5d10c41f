import type { ModelEntry } from "./catalog-types.js";

/** On-screen text: PaddleOCR detection and recognition. */
export const ocrModels: readonly ModelEntry[] = [];
