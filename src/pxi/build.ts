/**
 * One entry point for every backend: read IR (text or JSON) and build a target.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import type { PlacedProgram } from "./ast.ts";
import { parsePxiJson } from "./json.ts";
import { parsePxs } from "./parse_text.ts";
import { compilePxiToPxvm } from "./pxvm/backend.ts";
import type { SourceMap } from "./sourcemap.ts";
import { assembleX86 } from "./x86/assemble.ts";

/** The backend targets. */
export const PXI_TARGETS = ["x86", "x86-boot", "pxvm"] as const;

/** A backend target name. */
export type PxiTarget = typeof PXI_TARGETS[number];

/** The file extension each target's output gets (after the IR's stem). */
export const PXI_TARGET_EXTENSION: Readonly<Record<PxiTarget, string>> = {
  x86: ".x86.bin",
  "x86-boot": ".boot.bin",
  pxvm: ".pxvm",
};

export { isPxiSource, pxiStem } from "./names.ts";

/**
 * Parses IR text: JSON when the name ends in `.pxi.json` (or the text starts with `{`), else
 * `.pxs`.
 *
 * @example
 * ```ts
 * import { readPxi } from "@pxos/core";
 * console.log(readPxi("NOP\n", "a.pxs").program.instructions[0].op); // "NOP"
 * ```
 */
export function readPxi(text: string, path: string): PlacedProgram {
  return /\.json$/i.test(path) || text.trimStart().startsWith("{")
    ? parsePxiJson(text, path)
    : parsePxs(text, path);
}

/**
 * Builds one target.
 *
 * @example
 * ```ts
 * import { buildPxi, readPxi } from "@pxos/core";
 * const { bytes } = buildPxi(readPxi("ORG 0x7C00\nHLT\n", "a.pxs"), "x86-boot");
 * console.log(bytes.length); // 512
 * ```
 */
export function buildPxi(
  placed: PlacedProgram,
  target: PxiTarget,
): { bytes: Uint8Array; map: SourceMap } {
  switch (target) {
    case "x86":
      return assembleX86(placed);
    case "x86-boot":
      return assembleX86(placed, { boot: true });
    case "pxvm":
      return compilePxiToPxvm(placed);
  }
  throw new PxosError(
    "E_USAGE",
    `expected a target (${PXI_TARGETS.join(", ")}), found ${JSON.stringify(target)}`,
  );
}
