/**
 * The sandbox Worker's entry for pxVM cartridges (see `one_engine.ts`).
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { pxvmEngine } from "../../engines/pxvm/engine.ts";
import { serveOneEngine } from "./one_engine.ts";

serveOneEngine(pxvmEngine);
