/**
 * The scene: canvas size and layers, built by applying draw-list operations. It checks and
 * normalises every operation once (clipping, clamping, text layout) into paint commands that
 * both renderers consume, so they cannot disagree about *which* pixels an operation touches.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import type { DrawOp } from "../host/gfx_sink.ts";
import { colorToPixel } from "./color.ts";
import { layoutText } from "./font.ts";

/** Largest canvas side. */
export const MAX_CANVAS = 4096;
/** Default canvas size (DESIGN.md §5). */
export const DEFAULT_WIDTH = 800;
/** Default canvas height. */
export const DEFAULT_HEIGHT = 600;
/** Most layers a scene holds. */
export const MAX_LAYERS = 64;
/** Most paint commands (all layers) a scene holds before `E_MEMORY`. */
export const MAX_COMMANDS = 1_000_000;
/** Line and circle coordinates are clamped to ±this before drawing (keeps GPU math in i32). */
export const COORD_LIMIT = 8192;
/** Longest text one `TEXT` draws (characters beyond are dropped). */
export const MAX_TEXT = 4096;

/** A normalised paint command. Colours are little-endian pixel values. */
export type PaintCommand =
  | { readonly kind: "clear"; readonly px: number }
  | {
    readonly kind: "rect";
    readonly x: number;
    readonly y: number;
    readonly w: number;
    readonly h: number;
    readonly px: number;
  }
  | {
    readonly kind: "line";
    readonly x0: number;
    readonly y0: number;
    readonly x1: number;
    readonly y1: number;
    readonly px: number;
  }
  | { readonly kind: "text"; readonly glyphs: Int32Array; readonly px: number }
  | {
    readonly kind: "circle";
    readonly cx: number;
    readonly cy: number;
    readonly r: number;
    readonly filled: boolean;
    readonly px: number;
  };

/** One layer's state. */
export interface Layer {
  /** Name (1–64 of `A–Z a–z 0–9 _ . -`). */
  readonly name: string;
  /** Z-order: higher is in front; equal z keeps creation order. */
  readonly z: number;
  /** Opacity 0–255. */
  opacity: number;
  /** Whether it is composited. */
  visible: boolean;
  /** Paint commands in order. */
  commands: PaintCommand[];
  /** Creation sequence number (tie-break for equal z). */
  readonly seq: number;
}

/** An immutable view of a scene for a renderer: layers back to front. */
export interface FrameScene {
  /** Canvas width. */
  readonly width: number;
  /** Canvas height. */
  readonly height: number;
  /** Layers in compositing order (back to front), hidden ones included. */
  readonly layers: readonly Readonly<Layer>[];
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.trunc(v)));

function trap(message: string): never {
  throw new PxosError("E_TRAP", message);
}

/**
 * Mutable scene state.
 *
 * @example
 * ```ts
 * import { Scene, rgba } from "@pxos/core";
 * const scene = new Scene();
 * scene.apply({ op: "rect", x: 1, y: 1, w: 4, h: 4, color: rgba(255, 0, 0) });
 * console.log(scene.layers.length); // 1 (the implicit "default" layer)
 * ```
 */
export class Scene {
  /** Canvas width. */
  width: number = DEFAULT_WIDTH;
  /** Canvas height. */
  height: number = DEFAULT_HEIGHT;
  /** Layers in creation order. */
  readonly layers: Layer[] = [];
  /** The layer drawing goes to, if any. */
  current: Layer | undefined;
  #seq = 0;
  #commands = 0;

  /** Finds a layer by name. */
  layer(name: string): Layer | undefined {
    return this.layers.find((l) => l.name === name);
  }

  /** Total paint commands held. */
  get commandCount(): number {
    return this.#commands;
  }

  #need(name: string): Layer {
    const layer = this.layer(name);
    if (!layer) trap(`no layer named ${JSON.stringify(name)} (create it with LAYER NEW)`);
    return layer;
  }

  #create(name: string, z: number): Layer {
    if (!NAME.test(name)) {
      trap(`expected a layer name of 1–64 letters, digits, _ . -, found ${JSON.stringify(name)}`);
    }
    if (this.layer(name)) trap(`layer ${JSON.stringify(name)} already exists`);
    if (this.layers.length >= MAX_LAYERS) trap(`too many layers (at most ${MAX_LAYERS})`);
    const layer: Layer = {
      name,
      z: clamp(z, -1_000_000, 1_000_000),
      opacity: 255,
      visible: true,
      commands: [],
      seq: this.#seq++,
    };
    this.layers.push(layer);
    if (!this.current) this.current = layer;
    return layer;
  }

  #paint(command: PaintCommand): void {
    const layer = this.current ?? this.#create("default", 0);
    if (command.kind === "clear") {
      // CLEAR sets every pixel, so nothing drawn before it on this layer can show.
      this.#commands -= layer.commands.length;
      layer.commands = [];
    }
    if (this.#commands >= MAX_COMMANDS) {
      throw new PxosError("E_MEMORY", `too many draw operations (at most ${MAX_COMMANDS})`);
    }
    this.#commands++;
    layer.commands.push(command);
  }

  /** Applies one draw-list operation; throws `PxosError` `E_TRAP` for a semantic error. */
  apply(op: DrawOp): void {
    switch (op.op) {
      case "canvas": {
        const ok = (v: number) => Number.isInteger(v) && v >= 1 && v <= MAX_CANVAS;
        if (!ok(op.width) || !ok(op.height)) {
          trap(
            `expected a canvas of 1–${MAX_CANVAS} × 1–${MAX_CANVAS}, ` +
              `found ${op.width}×${op.height}`,
          );
        }
        this.width = op.width;
        this.height = op.height;
        return;
      }
      case "layerNew":
        this.#create(op.name, op.z);
        return;
      case "layerUse":
        this.current = this.#need(op.name);
        return;
      case "layerDelete": {
        const layer = this.#need(op.name);
        this.layers.splice(this.layers.indexOf(layer), 1);
        this.#commands -= layer.commands.length;
        if (this.current === layer) this.current = undefined;
        return;
      }
      case "layerOpacity":
        this.#need(op.name).opacity = clamp(op.opacity, 0, 255);
        return;
      case "layerVisible":
        this.#need(op.name).visible = op.visible;
        return;
      case "clear":
        this.#paint({ kind: "clear", px: colorToPixel(op.color) });
        return;
      case "pixel":
        return this.#rect(op.x, op.y, 1, 1, op.color);
      case "rect":
        return this.#rect(op.x, op.y, op.w, op.h, op.color);
      case "hline":
        return this.#rect(op.x, op.y, op.len, 1, op.color);
      case "vline":
        return this.#rect(op.x, op.y, 1, op.len, op.color);
      case "line": {
        const c = (v: number) => clamp(v, -COORD_LIMIT, COORD_LIMIT);
        const [x0, y0, x1, y1] = [c(op.x0), c(op.y0), c(op.x1), c(op.y1)];
        if (Math.max(x0, x1) < 0 || Math.max(y0, y1) < 0) return;
        if (Math.min(x0, x1) >= MAX_CANVAS || Math.min(y0, y1) >= MAX_CANVAS) return;
        this.#paint({ kind: "line", x0, y0, x1, y1, px: colorToPixel(op.color) });
        return;
      }
      case "text": {
        const text = [...op.text].slice(0, MAX_TEXT).join("");
        const glyphs = layoutText(Math.trunc(op.x), Math.trunc(op.y), text, MAX_CANVAS);
        if (glyphs.length > 0) this.#paint({ kind: "text", glyphs, px: colorToPixel(op.color) });
        return;
      }
      case "circle": {
        const r = Math.trunc(op.r);
        if (!(r >= 0)) return;
        const radius = Math.min(r, COORD_LIMIT);
        const cx = Math.trunc(op.cx);
        const cy = Math.trunc(op.cy);
        if (cx + radius < 0 || cy + radius < 0) return;
        if (cx - radius >= MAX_CANVAS || cy - radius >= MAX_CANVAS) return;
        this.#paint({
          kind: "circle",
          cx,
          cy,
          r: radius,
          filled: op.filled,
          px: colorToPixel(op.color),
        });
        return;
      }
    }
  }

  /** Clips a rectangle to the largest canvas (exact for any canvas size) and stores it. */
  #rect(x: number, y: number, w: number, h: number, color: number): void {
    const x0 = Math.max(Math.trunc(x), 0);
    const y0 = Math.max(Math.trunc(y), 0);
    const x1 = Math.min(Math.trunc(x) + Math.trunc(w), MAX_CANVAS);
    const y1 = Math.min(Math.trunc(y) + Math.trunc(h), MAX_CANVAS);
    if (x1 <= x0 || y1 <= y0) return;
    this.#paint({ kind: "rect", x: x0, y: y0, w: x1 - x0, h: y1 - y0, px: colorToPixel(color) });
  }

  /** The scene as renderers see it: layers back to front. */
  snapshot(): FrameScene {
    const layers = [...this.layers]
      .sort((a, b) => a.z - b.z || a.seq - b.seq)
      .map((l) => ({ ...l, commands: [...l.commands] }));
    return { width: this.width, height: this.height, layers };
  }
}
