/**
 * The engines this build of pxOS knows, and how a program picks one.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import type { Engine } from "./engine.ts";
import { pixelvmEngine } from "./pixelvm/engine.ts";
import { pohEngine } from "./poh/engine.ts";
import { pxvmEngine } from "./pxvm/engine.ts";
import { pxiEngine } from "../pxi/engine.ts";
import { wasmEngine } from "./wasm/engine.ts";
import { pythonEngine } from "./python/engine.ts";

/** Every registered engine. Engine issues add theirs here (one line each). */
export const ENGINES: readonly Engine[] = [
  pixelvmEngine as Engine,
  pxvmEngine as Engine,
  pohEngine as Engine,
  pxiEngine as Engine,
  wasmEngine as Engine,
  pythonEngine as Engine,
];

/**
 * Finds the engine for a program: by explicit id when given (the manifest's `engine`), else by
 * the file extension of `path`. `extra` engines (an embedder's own) are searched first.
 *
 * @example
 * ```ts
 * import { engineFor } from "@pxos/core";
 * try {
 *   engineFor("main.unknown");
 * } catch (e) {
 *   console.log((e as Error).message);
 * }
 * ```
 */
export function engineFor(path: string, id?: string, extra: readonly Engine[] = []): Engine {
  const engines = [...extra, ...ENGINES];
  if (id !== undefined) {
    const byId = engines.find((e) => e.id === id);
    if (!byId) {
      throw new PxosError(
        "E_ENGINE",
        `expected an engine id (${known(engines)}), found ${JSON.stringify(id)}`,
      );
    }
    return byId;
  }
  const lower = path.toLowerCase();
  const byExt = engines.find((e) => extensionsOf(e).some((x) => lower.endsWith(x)));
  if (!byExt) {
    throw new PxosError(
      "E_ENGINE",
      `no engine runs ${JSON.stringify(path)}: expected one of the extensions ${
        engines.flatMap(extensionsOf).join(" ") || "(none registered)"
      }`,
    );
  }
  return byExt;
}

/** Bytecode and source extensions an engine takes. */
function extensionsOf(engine: Engine): readonly string[] {
  return [...engine.extensions, ...(engine.sourceExtensions ?? [])];
}

function known(engines: readonly Engine[]): string {
  return engines.map((e) => e.id).join(", ") || "none registered";
}
