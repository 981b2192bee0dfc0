/**
 * The sandbox Worker's entry for PXI Assembly cartridges (see `one_engine.ts`).
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { pxiEngine } from "../../pxi/engine.ts";
import { serveOneEngine } from "./one_engine.ts";

serveOneEngine(pxiEngine);
