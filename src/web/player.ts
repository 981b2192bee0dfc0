/**
 * The web player's browser entry (bundled by `pxos serve`/`pxos export`): the same cartridge
 * reader, engines and host as `pxos boot`, drawing to a canvas with WebGPU where the browser has
 * an adapter, else with the CPU renderer into a 2D canvas (`canvas_output.ts`; the page says
 * which). The
 * label is shown until the player starts; the permission request is a dialog. Keys map to
 * player 1's gamepad (arrows, X, Z), connected gamepads (the Gamepad API's standard mapping) to
 * players 1–4, the mouse is read over the canvas, typed text reaches
 * `input.keys`, tones play through WebAudio. Each frame's input is recorded as `.pxin` text, so
 * what was played here replays headless byte for byte (`window.pxosPlayer.recording()`).
 *
 * Query parameters: `cart` (default `cart.pxa`), `frames` (stop after N frames), `autostart`,
 * `renderer` (`auto`, the default; `webgpu`; `cpu`).
 *
 * @module
 */
/// <reference lib="dom" />
import { openCartridge } from "../archive/cartridge.ts";
import { mixTones, SAMPLE_RATE } from "../audio/mixer.ts";
import { loadCartridge } from "../boot/boot.ts";
import { runProgram } from "../boot/run_program.ts";
import { effectiveLimits, grantedDirs } from "../boot/boot.ts";
import { engineFor } from "../engines/registry.ts";
import { type Grant, NO_GRANT } from "../host/grant.ts";
import { createHost } from "../host/host.ts";
import { BUTTONS, type InputEvent, InputState, MOUSE_BUTTONS } from "../host/input.ts";
import { formatInputScript } from "../host/input_script.ts";
import type { ToneEvent } from "../host/play_host.ts";
import { createCanvasOutput } from "./canvas_output.ts";

const KEYS: Readonly<Record<string, number>> = {
  ArrowLeft: BUTTONS.left,
  ArrowRight: BUTTONS.right,
  ArrowUp: BUTTONS.up,
  ArrowDown: BUTTONS.down,
  KeyX: BUTTONS.x,
  KeyZ: BUTTONS.z,
};

/** The standard Gamepad API mapping's buttons → WASM-4 bits (A → X, B → Z, the d-pad). */
const PAD_BUTTONS: readonly [number, number][] = [
  [0, BUTTONS.x],
  [1, BUTTONS.z],
  [12, BUTTONS.up],
  [13, BUTTONS.down],
  [14, BUTTONS.left],
  [15, BUTTONS.right],
];

/** Buttons held on the browser's gamepads (players 1–4; the keyboard adds to player 1). */
function gamepads(): number[] {
  const held = [0, 0, 0, 0];
  const pads = typeof navigator.getGamepads === "function" ? navigator.getGamepads() : [];
  for (const pad of pads) {
    if (!pad || pad.index > 3) continue;
    for (const [button, bit] of PAD_BUTTONS) {
      if (pad.buttons[button]?.pressed) held[pad.index] |= bit;
    }
  }
  return held;
}

/** What a page (and the browser test) can ask the player. */
interface PlayerApi {
  started: boolean;
  done: boolean;
  frame: number;
  /** The canvas context drawing the frames: `webgpu` or `2d` (empty until started). */
  renderer: string;
  error: string | null;
  output: string;
  recording(): string;
  digest(): Promise<string>;
}

const params = new URLSearchParams(location.search);
const api: PlayerApi = {
  started: false,
  done: false,
  frame: 0,
  renderer: "",
  error: null,
  output: "",
  recording: () => "",
  digest: () => Promise.resolve(""),
};
(globalThis as unknown as { pxosPlayer: PlayerApi }).pxosPlayer = api;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function main(): Promise<void> {
  const cartUrl = params.get("cart") ?? "cart.pxa";
  const png = new Uint8Array(await (await fetch(cartUrl)).arrayBuffer());
  const cart = await openCartridge(png, { name: cartUrl });
  const manifest = cart.manifest;
  $("title").textContent = manifest.title ?? manifest.name;
  ($("label") as HTMLImageElement).src = cartUrl;
  const grant = await askGrant(cart.manifest.permissions as Record<string, unknown>);
  if (params.get("autostart") === null) await waitForStart();
  $("label").hidden = true;
  await play(await loadCartridge(cart), grant);
}

/** Shows what the cartridge asks for; resolves to what the user allows (files: never here). */
function askGrant(asked: Record<string, unknown>): Promise<Grant> {
  const wanted = Object.entries(asked ?? {}).filter(([, v]) =>
    v === true || (Array.isArray(v) && v.length > 0)
  );
  if (wanted.length === 0) return Promise.resolve(NO_GRANT);
  const dialog = $("permissions") as HTMLDialogElement;
  $("asked").textContent = wanted.map(([k, v]) =>
    k === "read" || k === "write"
      ? `${k} ${String(v)} — file grants are not available in the browser`
      : `${k}${Array.isArray(v) ? ` ${v.join(", ")}` : ""}`
  ).join("\n");
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      if (dialog.returnValue !== "allow") return resolve(NO_GRANT);
      const net = Array.isArray(asked.net) ? asked.net.map(String) : [];
      resolve({ ...NO_GRANT, net, clock: asked.clock === true, random: asked.random === true });
    }, { once: true });
  });
}

function waitForStart(): Promise<void> {
  $("start").hidden = false;
  return new Promise((resolve) => {
    const go = () => {
      $("start").hidden = true;
      resolve();
    };
    $("start").addEventListener("click", go, { once: true });
    addEventListener("keydown", go, { once: true });
  });
}

async function play(loaded: Awaited<ReturnType<typeof loadCartridge>>, grant: Grant) {
  const { manifest, files } = loaded;
  const canvas = $("screen") as HTMLCanvasElement;
  const size = manifest.canvas ?? { width: 800, height: 600 };
  const choice = params.get("renderer") ?? "auto";
  if (choice !== "auto" && choice !== "webgpu" && choice !== "cpu") {
    throw new Error(`expected renderer auto, webgpu or cpu, found ${choice}`);
  }
  const out = await createCanvasOutput(canvas, choice, size);
  const session = out.session;
  api.renderer = out.kind;
  $("renderer").textContent = `Drawing with ${out.label}`;
  const input = new InputState();
  const events: InputEvent[] = [];
  const live = liveInput(canvas);
  const audio = new AudioContext();
  const limits = effectiveLimits(manifest.limits, { timeoutMs: 2 ** 31 - 1, fuel: 2 ** 52 });
  const engine = engineFor(manifest.entry, manifest.engine);
  const program = await engine.load(files.get(manifest.entry)!, {
    path: manifest.entry,
    files,
  });
  const host = createHost({
    stdout: (t) => {
      api.output += t;
      $("output").textContent += t;
    },
    cartFiles: files,
    grant,
    gfx: session.sink,
    input,
    seed: loaded.digest,
    sound: (tone) => playTone(audio, tone),
    cartridge: manifest.name,
    maxBytes: limits.memoryBytes,
  });
  const frames = Number(params.get("frames") ?? Infinity);
  api.recording = () => formatInputScript({ frames: api.frame, events });
  api.digest = async () => {
    const hash = await crypto.subtle.digest("SHA-256", out.pixels() as Uint8Array<ArrayBuffer>);
    return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
  };
  api.started = true;
  try {
    await runProgram(engine, program, host, limits, {
      args: manifest.args,
      dirs: grantedDirs(NO_GRANT),
      frameLoop: {
        frames,
        beginFrame(frame) {
          api.frame = frame;
          live.apply(frame, input, events);
        },
        async endFrame(frame) {
          await session.sink.present();
          api.frame = frame + 1;
          await new Promise((r) => requestAnimationFrame(r));
        },
      },
    });
    await session.finish();
  } catch (e) {
    api.error = (e as Error).message;
    $("output").textContent += `\n${api.error}\n`;
  } finally {
    api.done = true;
  }
}

/** The keyboard and mouse as they are now, turned into this frame's input (and events). */
function liveInput(canvas: HTMLCanvasElement) {
  let pad = 0;
  let typed = "";
  const mouse = { x: 0, y: 0, buttons: 0 };
  let last = { pads: [0, 0, 0, 0], x: 0, y: 0, buttons: 0 };
  addEventListener("keydown", (e) => {
    if (KEYS[e.code] !== undefined) {
      pad |= KEYS[e.code];
      e.preventDefault();
    } else if (e.key.length === 1) typed += e.key;
  });
  addEventListener("keyup", (e) => {
    if (KEYS[e.code] !== undefined) pad &= ~KEYS[e.code];
  });
  const pointer = (e: MouseEvent) => {
    const box = canvas.getBoundingClientRect();
    mouse.x = Math.floor(((e.clientX - box.left) * canvas.width) / box.width);
    mouse.y = Math.floor(((e.clientY - box.top) * canvas.height) / box.height);
    mouse.buttons = (e.buttons & 1 ? MOUSE_BUTTONS.left : 0) |
      (e.buttons & 2 ? MOUSE_BUTTONS.right : 0) | (e.buttons & 4 ? MOUSE_BUTTONS.middle : 0);
  };
  canvas.addEventListener("mousemove", pointer);
  canvas.addEventListener("mousedown", pointer);
  canvas.addEventListener("mouseup", pointer);
  return {
    apply(frame: number, state: InputState, events: InputEvent[]) {
      state.frame = frame;
      state.keys = typed;
      if (typed) events.push({ frame, kind: "keys", text: typed });
      typed = "";
      const pads = gamepads();
      pads[0] |= pad;
      pads.forEach((buttons, player) => {
        if (buttons !== last.pads[player]) events.push({ frame, kind: "pad", player, buttons });
        state.gamepads[player] = buttons;
      });
      if (mouse.x !== last.x || mouse.y !== last.y || mouse.buttons !== last.buttons) {
        events.push({ frame, kind: "mouse", ...mouse });
      }
      state.mouseX = mouse.x;
      state.mouseY = mouse.y;
      state.mouseButtons = mouse.buttons;
      last = { pads, ...mouse };
    },
  };
}

/** Plays one tone now, mixed by the same mixer as the WAV of a headless run. */
function playTone(audio: AudioContext, tone: ToneEvent): void {
  const d = tone.duration >>> 0;
  const frames = ((d >>> 24) & 0xff) + ((d >>> 16) & 0xff) + ((d >>> 8) & 0xff) + (d & 0xff);
  const samples = mixTones([{ ...tone, frame: 0 }], Math.max(1, frames));
  const buffer = audio.createBuffer(1, samples.length, SAMPLE_RATE);
  buffer.getChannelData(0).set(Float32Array.from(samples, (s) => s / 32768));
  const source = audio.createBufferSource();
  source.buffer = buffer;
  source.connect(audio.destination);
  source.start();
}

main().catch((e) => {
  api.error = (e as Error).message;
  api.done = true;
  const out = document.getElementById("output");
  if (out) out.textContent = `pxOS: ${api.error}`;
});
