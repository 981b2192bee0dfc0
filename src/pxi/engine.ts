/**
 * PXI programs in pxOS: `pxos run hello.pxs` compiles the IR to pxVM bytecode and runs it on
 * the pxVM engine. In a cartridge, the pxVM build stored beside the IR is run when its recorded
 * IR hash matches (see `cartridge.ts`); otherwise the IR is compiled at load.
 *
 * @module
 */
import type { Engine } from "../engines/engine.ts";
import type { PxvmProgram } from "../engines/pxvm/decode.ts";
import { pxvmEngine } from "../engines/pxvm/engine.ts";
import { buildPxi, isPxiSource, pxiStem, readPxi } from "./build.ts";
import { storedPxvmBuild } from "./cartridge.ts";

const decoder = new TextDecoder();

/**
 * The PXI engine: sources `.pxs` and `.pxi.json`, run as pxVM bytecode.
 *
 * @example
 * ```ts
 * import { pxiEngine } from "@pxos/core";
 * console.log(pxiEngine.sourceExtensions); // [".pxs", ".pxi.json"]
 * ```
 */
export const pxiEngine: Engine<PxvmProgram> = {
  id: "pxi",
  extensions: [],
  sourceExtensions: [".pxs", ".pxi.json"],
  async load(bytes, source) {
    if (!isPxiSource(source.path)) return pxvmEngine.load(bytes, source);
    const stored = await storedPxvmBuild(bytes, source.path, source.files);
    const code = stored ?? buildPxi(readPxi(decoder.decode(bytes), source.path), "pxvm").bytes;
    return pxvmEngine.load(code, { ...source, path: `${pxiStem(source.path)}.pxvm` });
  },
  run(program, host, limits, options) {
    return pxvmEngine.run(program, host, limits, options);
  },
  compile(source, info) {
    const { bytes } = buildPxi(readPxi(decoder.decode(source), info.path), "pxvm");
    return { path: `${pxiStem(info.path)}.pxvm`, bytes };
  },
};
