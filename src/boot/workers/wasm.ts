/**
 * The sandbox Worker's entry for WebAssembly cartridges (see `one_engine.ts`).
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { wasmEngine } from "../../engines/wasm/engine.ts";
import { serveOneEngine } from "./one_engine.ts";

serveOneEngine(wasmEngine);
