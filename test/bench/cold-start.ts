/**
 * One Lambda cold start, in a fresh process (spawned by cold.ts): argv[2] is a JSON ColdStartInput, and
 * the environment is the one a Lambda would have. Module load of the handler = the Init phase (the
 * handler compiles the WASM and runs its models once at top level); then one invocation with a real
 * API Gateway v2 event. Prints one line: `BENCH_RESULT <json ColdStartReport>`.
 */
import { readFile } from "node:fs/promises";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { facesContext, type HttpHandler, type RouteInfo, readResponse } from "./response.js";

export interface ColdStartInput {
  route: RouteInfo;
  handlerUrl: string;
  handlerName: string;
  /** A JSON file with the API Gateway v2 event (built by the parent, as API Gateway builds it before Init). */
  eventFile: string;
  /** "source": the TypeScript handler through tsx; "bundle": the packaged .mjs, as Lambda runs it. */
  mode: "source" | "bundle";
}

export interface ColdStartReport {
  /** Epoch ms at which the process started (performance.timeOrigin). */
  processStartEpochMs: number;
  /** Epoch ms at which this script started running (after node + tsx bootstrap). */
  scriptStartEpochMs: number;
  /** Epoch ms at which the first result was in hand. */
  doneEpochMs: number;
  /** import("@marquee/core") alone: module graph load (TS transpile by tsx included). */
  coreImportMs: number;
  /** import of the handler module: everything Lambda's Init phase does (includes coreImportMs). */
  initMs: number;
  firstInvokeMs: number;
  status: number;
  modelMs: number;
  faces: number;
  timings: Record<string, number>;
  /** getrusage's peak: on Linux a spawned child starts from its parent's peak, so it can overstate. */
  maxRssKb: number;
  /** Resident memory when the first answer is in hand (this process's own). */
  rssAtFirstAnswerKb: number;
  /** CPU time (user + system) of this process, for the bench's host-load accounting. */
  cpuMs: number;
}

const scriptStart = performance.now();
const input = JSON.parse(process.argv[2] ?? "{}") as ColdStartInput;
const event = JSON.parse(await readFile(input.eventFile, "utf8")) as APIGatewayProxyEventV2;
const context = facesContext(input.route);

const initStart = performance.now();
// The bundle carries its own copy of core: importing it separately would only distort the figure.
const core = "@marquee/core"; // a variable, so that bundling this harness does not pull core in
if (input.mode === "source") await import(core);
const coreLoaded = performance.now();
const module = (await import(input.handlerUrl)) as Record<string, HttpHandler>;
const initEnd = performance.now();
const handler = module[input.handlerName];
if (!handler) throw new Error(`${input.handlerUrl} exports no ${input.handlerName}`);

const invokeStart = performance.now();
const result = await handler(event, context);
const invokeEnd = performance.now();

const response = readResponse(result);
const report: ColdStartReport = {
  processStartEpochMs: performance.timeOrigin,
  scriptStartEpochMs: performance.timeOrigin + scriptStart,
  doneEpochMs: performance.timeOrigin + invokeEnd,
  coreImportMs: coreLoaded - initStart,
  initMs: initEnd - initStart,
  firstInvokeMs: invokeEnd - invokeStart,
  status: response.status,
  modelMs: response.modelMs,
  faces: response.faces,
  timings: response.timings,
  maxRssKb: process.resourceUsage().maxRSS,
  rssAtFirstAnswerKb: Math.round(process.memoryUsage().rss / 1024),
  cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
};
process.stdout.write(`BENCH_RESULT ${JSON.stringify(report)}\n`);
process.exit(0);
