/**
 * pxOS core library: pixel cartridges — programs, assets and a manifest stored losslessly in the
 * pixel values of one PNG image — and the engines that run them.
 *
 * @example
 * ```ts
 * import { PxosError, PXOS_VERSION } from "@pxos/core";
 * console.log(PXOS_VERSION, new PxosError("E_USAGE", "demo").code);
 * ```
 *
 * @module
 */
export * from "./src/errors.ts";
export * from "./src/version.ts";
export * from "./src/host/calls.ts";
export * from "./src/host/host.ts";
export * from "./src/host/limits.ts";
export * from "./src/host/prng.ts";
export * from "./src/engines/engine.ts";
export * from "./src/engines/registry.ts";
export * from "./src/engines/poh/mod.ts";
