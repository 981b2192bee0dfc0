/**
 * The WASM-4 profile's contract, from WASM-4's public documentation (wasm4.org, `wasm4.h`): the
 * `env` imports a cartridge may use, and the memory map of its one 64 KiB page. A module whose
 * every function import is one of {@link WASM4_IMPORTS} and that exports `update` or `start`
 * (and no WASI `_start`) runs under this profile.
 *
 * @module
 */
import type { WasmOutline } from "./module.ts";

/** The import module of WASM-4's API. */
export const WASM4_MODULE = "env";

/** Screen side in pixels (160×160). */
export const SCREEN_SIZE = 160;

/** Addresses of the memory map. */
export const WASM4_MEMORY = Object.freeze({
  /** Four colours, each `0xRRGGBB` as a little-endian u32. */
  PALETTE: 0x04,
  /** u16: four 4-bit draw colour slots (0 transparent, 1–4 a palette entry). */
  DRAW_COLORS: 0x14,
  /** Four u8: the buttons of players 1–4. */
  GAMEPADS: 0x16,
  /** i16 mouse x. */
  MOUSE_X: 0x1a,
  /** i16 mouse y. */
  MOUSE_Y: 0x1c,
  /** u8 mouse buttons. */
  MOUSE_BUTTONS: 0x1e,
  /** u8: 1 preserve the framebuffer between frames, 2 hide the gamepad overlay. */
  SYSTEM_FLAGS: 0x1f,
  /** u8 set by the runtime: bit 2 netplay is on, bits 0–1 the local player (0 here: none). */
  NETPLAY: 0x20,
  /** 160×160 pixels, 2 bits each, 4 to a byte, the leftmost in the low bits. */
  FRAMEBUFFER: 0xa0,
});

/** Bytes of the framebuffer. */
export const FRAMEBUFFER_BYTES = (SCREEN_SIZE * SCREEN_SIZE) / 4;

/** `SYSTEM_FLAGS` bit: keep the framebuffer between frames. */
export const SYSTEM_PRESERVE_FRAMEBUFFER = 1;

/** WASM-4's default palette (lightest to darkest). */
export const DEFAULT_PALETTE: readonly number[] = [0xe0f8cf, 0x86c06c, 0x306850, 0x071821];

/** The default `DRAW_COLORS`. */
export const DEFAULT_DRAW_COLORS = 0x1203;

/** `blit` flags. */
export const BLIT = Object.freeze({ BPP2: 1, FLIP_X: 2, FLIP_Y: 4, ROTATE: 8 });

/** Bytes `diskr`/`diskw` persist (WASM-4's limit). */
export const DISK_BYTES = 1024;

/** The `env` functions of WASM-4's API, by name, with their i32 parameter counts. */
export const WASM4_IMPORTS: Readonly<Record<string, number>> = Object.freeze({
  blit: 6,
  blitSub: 9,
  line: 4,
  hline: 3,
  vline: 3,
  oval: 4,
  rect: 4,
  text: 3,
  textUtf8: 4,
  textUtf16: 4,
  tone: 4,
  diskr: 2,
  diskw: 2,
  trace: 1,
  traceUtf8: 2,
  traceUtf16: 2,
  tracef: 2,
  // Imported by WASM-4's earlier headers (the runtime provided them).
  memset: 3,
  memcpy: 3,
});

/** Whether `outline` is a WASM-4 cartridge (see the module comment). */
export function isWasm4Module(outline: WasmOutline): boolean {
  const exported = (name: string) => outline.exports.some((e) => e.name === name);
  if (exported("_start") || !(exported("update") || exported("start"))) return false;
  return outline.imports.every((i) =>
    i.module === WASM4_MODULE &&
    (i.kind === "memory" || (i.kind === "func" && i.name in WASM4_IMPORTS))
  );
}
