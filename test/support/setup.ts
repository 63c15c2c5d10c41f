import { afterAll, expect } from "vitest";
import { violations } from "./conformance.js";

// Every integration test's twin checks each answer against GET /v1/openapi.json (test/support/twin.ts).
afterAll(() => {
  expect(violations, "responses that do not conform to the API document").toEqual([]);
});
