/** Prints one generate result as JSON, for tests that compare runs across processes. Arg: request JSON. */
import { runTask } from "@marquee/core";
import { generateTask } from "@marquee/core/tasks/generate";
import { request, storiesServices } from "./generation.js";

const { services } = await storiesServices();
const { completions, seed } = await runTask(
  generateTask,
  request(JSON.parse(process.argv[2] ?? "{}")),
  services,
);
process.stdout.write(JSON.stringify({ completions, seed }));
