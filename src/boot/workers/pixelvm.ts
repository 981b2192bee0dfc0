/**
 * The sandbox Worker's entry for PixelVM cartridges (see `one_engine.ts`).
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { pixelvmEngine } from "../../engines/pixelvm/engine.ts";
import { serveOneEngine } from "./one_engine.ts";

serveOneEngine(pixelvmEngine);
