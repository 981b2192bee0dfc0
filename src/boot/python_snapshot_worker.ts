/**
 * Makes the Python engine's start-up snapshot in a Worker that may read only the Pyodide package
 * folder: a cold start, no guest code, then `makeMemorySnapshot`, sent back to be cached.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { loadInterpreter } from "./python_runtime.ts";

self.onmessage = async (event: MessageEvent<{ dir: string }>) => {
  try {
    const py = await loadInterpreter(event.data.dir, null, true);
    const snapshot = (py as unknown as { makeMemorySnapshot(): Uint8Array }).makeMemorySnapshot();
    self.postMessage({ snapshot }, [snapshot.buffer as ArrayBuffer]);
  } catch (e) {
    self.postMessage({ error: String(e) });
  }
};
