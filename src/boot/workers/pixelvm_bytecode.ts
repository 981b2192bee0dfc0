/**
 * The sandbox Worker's entry for PixelVM cartridges whose entry is bytecode (`.pxi`, a compiled
 * cartridge): the engine without its assembler, disassembler and lexer (see `one_engine.ts`).
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { pixelvmBytecodeEngine } from "../../engines/pixelvm/bytecode_engine.ts";
import { serveOneEngine } from "./one_engine.ts";

serveOneEngine(pixelvmBytecodeEngine);
