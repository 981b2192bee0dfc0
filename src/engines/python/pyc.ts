/**
 * The `.pyc` header, read without Python: a magic number naming the CPython version that wrote
 * the file, a flags word and 8 bytes of source stamp, then the marshalled code object. A file
 * written by another CPython version must never reach `exec` (its bytecode means something else
 * and can crash the whole interpreter), so every `.pyc` of a cartridge is checked here at load.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";

/** Size of the header CPython 3.7+ writes before the marshalled code (PEP 552). */
export const PYC_HEADER_BYTES = 16;

/** The CPython version this engine runs (Pyodide 314.0.8). */
export const ENGINE_PYTHON_VERSION = "3.14";

/** The magic number of CPython 3.14 `.pyc` files (`importlib.util.MAGIC_NUMBER`, low 16 bits). */
export const ENGINE_PYC_MAGIC = 3627;

/**
 * Magic-number ranges of CPython releases (from CPython's `Lib/importlib/_bootstrap_external.py`),
 * newest first, so a refusal can say which Python wrote a file.
 */
const MAGIC_RANGES: readonly [from: number, to: number, version: string][] = [
  [3600, 3699, "3.14"],
  [3550, 3599, "3.13"],
  [3500, 3549, "3.12"],
  [3450, 3499, "3.11"],
  [3430, 3449, "3.10"],
  [3420, 3429, "3.9"],
  [3400, 3419, "3.8"],
  [3390, 3399, "3.7"],
  [3360, 3389, "3.6"],
  [3000, 3359, "3.0–3.5"],
  [20121, 62211, "2.x"],
];

/** The CPython version a magic number belongs to, or `undefined` when it is no known one. */
export function pythonVersionOfMagic(magic: number): string | undefined {
  return MAGIC_RANGES.find(([from, to]) => magic >= from && magic <= to)?.[2];
}

/**
 * Checks a `.pyc` header: length, the `\r\n` after the magic, this engine's magic number and a
 * known flags word. Throws `PxosError` `E_VERIFY` saying what was found and how to fix it.
 *
 * @example
 * ```ts
 * import { checkPycHeader } from "@pxos/core";
 * const pyc = new Uint8Array(16);
 * pyc.set([0x2b, 0x0e, 0x0d, 0x0a]); // 3627: CPython 3.14
 * checkPycHeader(pyc, "main.pyc");
 * ```
 */
export function checkPycHeader(bytes: Uint8Array, path: string): void {
  const refuse = (message: string, offset: number): never => {
    throw new PxosError("E_VERIFY", message, { file: path, offset });
  };
  if (bytes.length < PYC_HEADER_BYTES) {
    refuse(
      `expected a ${PYC_HEADER_BYTES}-byte .pyc header, found ${bytes.length} bytes`,
      bytes.length,
    );
  }
  const magic = bytes[0] | (bytes[1] << 8);
  if (bytes[2] !== 0x0d || bytes[3] !== 0x0a) {
    refuse("expected a .pyc magic number ending in \\r\\n, found other bytes: not a .pyc file", 2);
  }
  if (magic !== ENGINE_PYC_MAGIC) {
    const version = pythonVersionOfMagic(magic);
    refuse(
      `compiled by ${
        version ? `Python ${version}` : "an unknown Python"
      } (magic ${magic}), this engine runs ${ENGINE_PYTHON_VERSION} (magic ${ENGINE_PYC_MAGIC}); ` +
        `recompile with pxos compile`,
      0,
    );
  }
  const flags = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24);
  if ((flags & ~3) !== 0) refuse(`expected .pyc flags 0–3, found ${flags >>> 0}`, 4);
}
