/**
 * The start-up baseline for `pxos boot` of the wasm-hello cartridge: the same `main.wasm` run
 * bare in Deno with `@bjorn3/browser_wasi_shim` (its `/cart` file in memory, stdout to the
 * console), no pxOS in between.
 *
 *     deno run --allow-read bench/wasm/bare_hello.ts
 */
import {
  ConsoleStdout,
  File,
  OpenFile,
  PreopenDirectory,
  WASI,
  WASIProcExit,
} from "@bjorn3/browser_wasi_shim";

const dir = new URL("../../examples/wasm-hello/", import.meta.url);
const files = new Map([[
  "greeting.txt",
  new File(await Deno.readFile(new URL("greeting.txt", dir)), { readonly: true }),
]]);
const wasi = new WASI(["main.wasm"], [], [
  new OpenFile(new File([])),
  ConsoleStdout.lineBuffered(console.log),
  ConsoleStdout.lineBuffered(console.error),
  new PreopenDirectory("/cart", files),
], { debug: false });
const { instance } = await WebAssembly.instantiate(
  await Deno.readFile(new URL("main.wasm", dir)),
  { wasi_snapshot_preview1: wasi.wasiImport } as WebAssembly.Imports,
);
try {
  wasi.start(instance as never);
} catch (e) {
  if (!(e instanceof WASIProcExit)) throw e;
}
