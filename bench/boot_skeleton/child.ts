/**
 * The skeleton's sandbox process (see `parent.ts`): one Worker without permissions, told to run;
 * the process ends when the Worker has closed itself.
 *
 * @module
 */
const worker = new Worker(new URL("./worker.ts", import.meta.url), {
  type: "module",
  deno: { permissions: "none" },
} as WorkerOptions);
worker.postMessage("run");
