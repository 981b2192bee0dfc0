/**
 * Node's native `zlib`, `crypto` and `fs`, imported on first need rather than at start-up.
 *
 * Importing any `node:` module starts Deno's Node compatibility layer: measured here (CPU time,
 * medians of 12, `deno run` of a one-line script) at +35% for `node:path` and +100% for
 * `node:zlib` + `node:crypto` over a bare start. `pxos boot` starts three JavaScript contexts
 * (the CLI, the sandbox process, its Worker), and a small cartridge needs neither module: its CRCs
 * are checked in JavaScript, its hashes with WebCrypto, its zlib streams with
 * `DecompressionStream`. Code that handles large data loads the native module first (the native
 * calls are several times faster there) with {@link loadNativeZlib} / {@link loadNativeCrypto}.
 * `node:fs` is only for synchronous file access that must not block on a FIFO (`O_NONBLOCK`,
 * which Deno's own open lacks): the host loads it in `Host.prepareSync`, before an engine that
 * needs synchronous file calls (Python's mount) makes any.
 *
 * @module
 */

/** `node:zlib`'s exports, as this module hands them out. */
export type NativeZlib = typeof import("node:zlib");
/** `node:crypto`'s exports, as this module hands them out. */
export type NativeCrypto = typeof import("node:crypto");
/** `node:fs`'s exports, as this module hands them out. */
export type NativeFs = typeof import("node:fs");

/**
 * Inputs at least this large are worth the native modules' start-up (a few tens of milliseconds):
 * below it the JavaScript/WebCrypto paths finish first.
 */
export const NATIVE_WORTHWHILE_BYTES = 1 << 20;

let zlibModule: NativeZlib | undefined;
let cryptoModule: NativeCrypto | undefined;
let fsModule: NativeFs | undefined;

/** Imports `node:zlib` (once) and returns it. */
export async function loadNativeZlib(): Promise<NativeZlib> {
  return zlibModule ??= await import("node:zlib");
}

/** `node:zlib` if something has loaded it already, else `undefined` (never starts loading). */
export function nativeZlibIfLoaded(): NativeZlib | undefined {
  return zlibModule;
}

/** Imports `node:crypto` (once) and returns it. */
export async function loadNativeCrypto(): Promise<NativeCrypto> {
  return cryptoModule ??= await import("node:crypto");
}

/** Imports `node:fs` (once) and returns it. */
export async function loadNativeFs(): Promise<NativeFs> {
  return fsModule ??= await import("node:fs");
}

/** `node:fs` if something has loaded it already, else `undefined` (never starts loading). */
export function nativeFsIfLoaded(): NativeFs | undefined {
  return fsModule;
}

/**
 * Loads `node:zlib` when `bytes` of data are about to be checksummed or (de)compressed and that
 * much makes it worthwhile; a no-op for small data.
 */
export async function preloadNativeZlibFor(bytes: number): Promise<void> {
  if (bytes >= NATIVE_WORTHWHILE_BYTES) await loadNativeZlib();
}
