/**
 * Running a WASM-4 cartridge as WASM-4 runs it: one 64 KiB memory page with WASM-4's memory map
 * (default palette and draw colours set before `start`), `start` once, then per frame: the
 * players' input written into memory, the framebuffer cleared (unless `SYSTEM_FLAGS` says to
 * keep it), `update`, and the framebuffer drawn through the host's `gfx.*` calls, scaled up
 * (`flags.scale`, default 3). Without a frame loop one frame is run and presented.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { GuestExit, type Host } from "../../host/host.ts";
import type { Limits } from "../../host/limits.ts";
import type { RunOptions, RunResult } from "../engine.ts";
import { runFrames } from "../frame_loop.ts";
import { FUEL_EXPORT, START_EXPORT } from "./instrument.ts";
import { promising, suspending } from "./jspi.ts";
import { moduleFor, type WasmProgram } from "./loader.ts";
import {
  DEFAULT_DRAW_COLORS,
  DEFAULT_PALETTE,
  FRAMEBUFFER_BYTES,
  SCREEN_SIZE,
  SYSTEM_PRESERVE_FRAMEBUFFER,
  WASM4_MEMORY,
  WASM4_MODULE,
} from "./wasm4_abi.ts";
import { createWasm4Imports } from "./wasm4_imports.ts";
import { asRunError } from "./run.ts";
import { Wasm4Screen } from "./wasm4_screen.ts";

/** The most a cartridge is scaled up by. */
const MAX_SCALE = 8;

/** Runs a WASM-4 cartridge (see the module comment). */
export async function runWasm4(
  program: WasmProgram,
  host: Host,
  limits: Limits,
  options: RunOptions = {},
): Promise<RunResult> {
  const charge = options.flags?.fuel !== false;
  const scale = scaleOf(options.flags?.scale);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
  const bytes = () => new Uint8Array(memory.buffer);
  const view = new DataView(memory.buffer);
  DEFAULT_PALETTE.forEach((rgb, i) => view.setUint32(WASM4_MEMORY.PALETTE + 4 * i, rgb, true));
  view.setUint16(WASM4_MEMORY.DRAW_COLORS, DEFAULT_DRAW_COLORS, true);
  const screen = new Wasm4Screen(bytes);
  const saveDir = options.dirs?.find((d) => d.write)?.path;
  const env = createWasm4Imports(screen, host, bytes, saveDir);
  const deadline = performance.now() + limits.timeoutMs;
  const importsOf: WebAssembly.ModuleImports = {};
  for (const [name, fn] of Object.entries(env.imports)) {
    const checked = (...args: number[]) => {
      if (performance.now() > deadline) {
        throw new PxosError("E_TIMEOUT", `env.${name}: the run passed its deadline`);
      }
      return fn(...args);
    };
    importsOf[name] = env.suspending.has(name) ? suspending(checked) : checked;
  }
  const imports: WebAssembly.Imports = { [WASM4_MODULE]: importsOf };
  const place = program.memory ?? { module: WASM4_MODULE, name: "memory" };
  imports[place.module] = { ...imports[place.module], [place.name]: memory };
  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(
      moduleFor(program, { charge, profile: false }),
      imports,
    );
  } catch (e) {
    throw asRunError(e, program, undefined, limits);
  }
  const exports = instance.exports;
  const fuel = exports[FUEL_EXPORT] as WebAssembly.Global;
  if (charge) fuel.value = BigInt(limits.fuel);
  const call = (name: string) =>
    typeof exports[name] === "function" ? promising(exports[name]) : undefined;
  const update = call("update");
  const present = framePresenter(host, bytes, scale);
  let exitCode = 0;
  try {
    await call(START_EXPORT)?.();
    await host.invoke("gfx.canvas", [SCREEN_SIZE * scale, SCREEN_SIZE * scale]);
    await host.invoke("gfx.layerNew", ["wasm4", 0]);
    await call("start")?.();
    const frame = async () => {
      await readInput(host, view, scale);
      const m = bytes();
      if ((m[WASM4_MEMORY.SYSTEM_FLAGS] & SYSTEM_PRESERVE_FRAMEBUFFER) === 0) {
        m.fill(0, WASM4_MEMORY.FRAMEBUFFER, WASM4_MEMORY.FRAMEBUFFER + FRAMEBUFFER_BYTES);
      }
      await update?.();
      await present();
    };
    if (options.frameLoop) {
      await runFrames(options.frameLoop, async () => (await frame(), true));
    } else {
      await frame();
      await host.invoke("gfx.present", []);
    }
  } catch (e) {
    if (!(e instanceof GuestExit)) throw asRunError(e, program, fuel, limits);
    exitCode = e.exitCode;
  }
  return { exitCode, fuelUsed: charge ? limits.fuel - Number(fuel.value) : 0 };
}

function scaleOf(flag: string | number | boolean | undefined): number {
  if (flag === undefined) return 3;
  const n = Number(flag);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SCALE) {
    throw new PxosError("E_USAGE", `--flag scale expects 1–${MAX_SCALE}, found ${flag}`);
  }
  return n;
}

/** Writes this frame's gamepads and mouse (canvas pixels scaled back to the screen) to memory. */
async function readInput(host: Host, view: DataView, scale: number): Promise<void> {
  const int = async (call: string, args: number[] = []) => Number(await host.invoke(call, args));
  for (let p = 0; p < 4; p++) {
    view.setUint8(WASM4_MEMORY.GAMEPADS + p, await int("input.gamepad", [p]));
  }
  view.setInt16(WASM4_MEMORY.MOUSE_X, Math.floor((await int("input.mouseX")) / scale), true);
  view.setInt16(WASM4_MEMORY.MOUSE_Y, Math.floor((await int("input.mouseY")) / scale), true);
  view.setUint8(WASM4_MEMORY.MOUSE_BUTTONS, await int("input.mouseButtons"));
  view.setUint8(WASM4_MEMORY.NETPLAY, 0); // no netplay: the cartridge cannot fake it
}

/**
 * Draws the framebuffer through the host as one rectangle per run of equal pixels in a row, for
 * the rows that changed since the last frame (all of them when the palette changed): the scene
 * keeps the rest, so a mostly still screen costs a few rectangles a frame.
 */
function framePresenter(
  host: Host,
  bytes: () => Uint8Array,
  scale: number,
): () => Promise<void> {
  const ROW = SCREEN_SIZE / 4;
  const shown = new Uint8Array(16 + FRAMEBUFFER_BYTES);
  let first = true;
  // Rectangles sent since the last full redraw, and how many that redraw took: the scene keeps
  // every rectangle, so once the changes outnumber twice a full frame the layer is cleared and
  // redrawn, which bounds what the scene holds (and renders) however long the cartridge plays.
  let sinceFull = 0;
  let fullSize = 0;
  return async () => {
    const m = bytes();
    const palette = m.subarray(WASM4_MEMORY.PALETTE, WASM4_MEMORY.PALETTE + 16);
    const fb = m.subarray(WASM4_MEMORY.FRAMEBUFFER, WASM4_MEMORY.FRAMEBUFFER + FRAMEBUFFER_BYTES);
    const all = first || !sameBytes(shown, 0, palette, 0, 16) ||
      sinceFull > Math.max(2 * fullSize, 2 * SCREEN_SIZE);
    if (all && !first) await host.invoke("gfx.clear", [0]);
    if (all) sinceFull = 0;
    first = false;
    shown.set(palette);
    const view = new DataView(m.buffer);
    const rgba = [0, 1, 2, 3].map((i) =>
      (((view.getUint32(WASM4_MEMORY.PALETTE + 4 * i, true) & 0xffffff) << 8) | 0xff) >>> 0
    );
    const at = (i: number) => (fb[i >> 2] >> ((i & 3) * 2)) & 3;
    for (let y = 0; y < SCREEN_SIZE; y++) {
      if (!all && sameBytes(shown, 16 + y * ROW, fb, y * ROW, ROW)) continue;
      shown.set(fb.subarray(y * ROW, (y + 1) * ROW), 16 + y * ROW);
      let x = 0;
      while (x < SCREEN_SIZE) {
        const c = at(y * SCREEN_SIZE + x);
        let end = x + 1;
        while (end < SCREEN_SIZE && at(y * SCREEN_SIZE + end) === c) end++;
        const r = host.invoke("gfx.rect", [
          x * scale,
          y * scale,
          (end - x) * scale,
          scale,
          rgba[c],
        ]);
        if (r instanceof Promise) await r;
        sinceFull++;
        x = end;
      }
    }
    if (all) fullSize = sinceFull;
  };
}

/** Whether `a[aAt..aAt+n)` equals `b[bAt..bAt+n)`. */
function sameBytes(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[aAt + i] !== b[bAt + i]) return false;
  return true;
}
