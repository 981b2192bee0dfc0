/**
 * The sandbox Worker's entry for Poh cartridges (see `one_engine.ts`).
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { pohEngine } from "../../engines/poh/engine.ts";
import { serveOneEngine } from "./one_engine.ts";

serveOneEngine(pohEngine);
