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
export * from "./src/text_safety.ts";
export * from "./src/version.ts";
export * from "./src/read_file.ts";
export * from "./src/host/calls.ts";
export * from "./src/host/host.ts";
export * from "./src/host/limits.ts";
export * from "./src/host/prng.ts";
export * from "./src/host/audit.ts";
export * from "./src/host/calls_doc.ts";
export * from "./src/host/grant.ts";
export * from "./src/host/net_policy.ts";
export * from "./src/host/fs_paths.ts";
export {
  type CheckedPath,
  FsAccess,
  type FsAccessOptions,
  type FsGrant,
  realRoot,
} from "./src/host/fs_access.ts";
export {
  MAX_REDIRECTS,
  netFetch,
  type NetFetchOptions,
  type NetGrant,
} from "./src/host/net_fetch.ts";
export * from "./src/engines/engine.ts";
export * from "./src/engines/registry.ts";
export * from "./src/engines/lazy_registry.ts";
export type { SourceMap } from "./src/engines/source_map.ts";
export * from "./src/pixel/mod.ts";
export * from "./src/archive/paths.ts";
export * from "./src/archive/format.ts";
export * from "./src/archive/writer.ts";
export * from "./src/archive/reader.ts";
export * from "./src/archive/manifest.ts";
export * from "./src/archive/cartridge.ts";
export * from "./src/archive/directory.ts";
export * from "./src/archive/extract.ts";
export * from "./src/archive/lazy_contents.ts";
export * from "./src/archive/project_files.ts";
export * from "./src/boot/boot.ts";
export * from "./src/boot/environment.ts";
export * from "./src/boot/sandbox.ts";
export * from "./src/boot/sandbox_permissions.ts";
export * from "./src/boot/run_program.ts";
export * from "./src/boot/compile_sources.ts";
export * from "./src/archive/signature.ts";
export * from "./src/archive/sign_cartridge.ts";
export * from "./src/host/gfx_sink.ts";
export * from "./src/engines/pxvm/mod.ts";
export * from "./src/gfx/mod.ts";
export * from "./src/engines/pixelvm/mod.ts";
export * from "./src/engines/poh/mod.ts";
export * from "./src/engines/wasm/mod.ts";
export * from "./src/engines/python/mod.ts";
export {
  PYODIDE_VERSION,
  pythonRuntime,
  type PythonRuntimeOptions,
  readSnapshot,
  snapshotPath,
  writeSnapshot,
} from "./src/boot/python_runtime.ts";
export * from "./src/boot/engine_runtime.ts";
export * from "./src/boot/pxterm_entry.ts";
export * from "./src/pxi/mod.ts";
// Play (issue 15): input, the frame loop, scripted input, sound.
export * from "./src/host/input.ts";
export * from "./src/host/input_script.ts";
export * from "./src/host/play_host.ts";
export * from "./src/engines/frame_loop.ts";
export * from "./src/boot/play.ts";
export * from "./src/audio/mixer.ts";
export * from "./src/audio/wav.ts";
