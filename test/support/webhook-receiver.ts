import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface WebhookCall {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook endpoint on loopback that records each call and answers `status(callNumber)`. */
export async function startWebhookReceiver(status: (call: number) => number = () => 204) {
  const calls: WebhookCall[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      calls.push({ headers: req.headers, body });
      res.writeHead(status(calls.length)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/marquee`;
  return { url, calls, close: () => server.close() };
}
