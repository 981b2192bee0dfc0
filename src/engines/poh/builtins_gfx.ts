/**
 * PohLang's drawing built-ins: plain calls onto the shared `gfx.*` host calls (ids 32–44), e.g.
 * `canvas(320, 200)`, `rect(10, 10, 50, 20, "#ff8800")`, `present()`. Colours are
 * `0xRRGGBBAA` numbers, `"#rgb"`, `"#rrggbb"` or `"#rrggbbaa"` text, a few colour names, or
 * `rgb(r, g, b[, a])`. A drawing fault the host reports (an unknown layer, say) is a catchable
 * `GraphicsError`.
 *
 * @module
 */
import type { BuiltinContext, BuiltinSpec } from "./builtins.ts";
import { hostCall } from "./host_call.ts";
import { describeType, pohError, toText, truthy, type Value } from "./values.ts";

const NAMED: Record<string, number> = {
  black: 0x000000ff,
  white: 0xffffffff,
  red: 0xff0000ff,
  green: 0x00ff00ff,
  blue: 0x0000ffff,
  yellow: 0xffff00ff,
  cyan: 0x00ffffff,
  magenta: 0xff00ffff,
  gray: 0x808080ff,
  grey: 0x808080ff,
  orange: 0xffa500ff,
  transparent: 0x00000000,
};

/** A colour argument as a packed `0xRRGGBBAA` number. */
export function colorOf(v: Value, what: string): number {
  if (typeof v === "number") {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      pohError("ValueError", `${what} expects a colour 0x00000000–0xFFFFFFFF, found ${v}`);
    }
    return v;
  }
  if (typeof v === "string") {
    const named = NAMED[v.toLowerCase()];
    if (named !== undefined) return named;
    const m = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(v);
    if (m) {
      let hex = m[1];
      if (hex.length === 3) hex = [...hex].map((c) => c + c).join("");
      if (hex.length === 6) hex += "ff";
      return parseInt(hex, 16);
    }
    return pohError(
      "ValueError",
      `${what} expects a colour such as "#ff8800", "red" or 0xFF8800FF, found ${
        JSON.stringify(v.slice(0, 40))
      }`,
    );
  }
  return pohError("TypeError", `${what} expects a colour, found ${describeType(v)}`);
}

const I32 = 2 ** 31;

/** A coordinate or size argument: a number inside the 32-bit range (fractions are cut). */
function int(v: Value, what: string, name: string): number {
  if (typeof v !== "number" || Number.isNaN(v)) {
    return pohError("TypeError", `${what} expects a number for ${name}, found ${describeType(v)}`);
  }
  if (v <= -I32 || v >= I32) {
    pohError("ValueError", `${what}: ${name} ${v} is outside the drawing range (±2147483647)`);
  }
  return Math.trunc(v);
}

function layerName(v: Value, what: string): string {
  if (typeof v !== "string") {
    pohError("TypeError", `${what} expects a layer name as text, found ${describeType(v)}`);
  }
  return v;
}

/** Performs a drawing call; drawing answers nothing. */
function draw(ctx: BuiltinContext, call: string, args: (number | string | boolean)[]) {
  const r = hostCall(ctx, call, args);
  return r instanceof Promise ? r.then(() => null) : null;
}

/** Built-in row for a call whose arguments are named numbers then (optionally) a colour. */
function shape(name: string, call: string, params: string[], doc: string): BuiltinSpec {
  return {
    name,
    min: params.length + 1,
    max: params.length + 1,
    doc,
    fn: (args, ctx) => {
      const nums = params.map((p, i) => int(args[i], name, p));
      return draw(ctx, call, [...nums, colorOf(args[params.length], name)]);
    },
  };
}

/** The drawing built-ins, in table order (appended to `BUILTINS`; the order is part of `.pbc`). */
export const GFX_BUILTINS: readonly BuiltinSpec[] = [
  {
    name: "canvas",
    min: 2,
    max: 2,
    doc: "canvas(width, height): the canvas size, 1–4096 each",
    fn: ([w, h], ctx) =>
      draw(ctx, "gfx.canvas", [int(w, "canvas", "width"), int(h, "canvas", "height")]),
  },
  {
    name: "layer",
    min: 1,
    max: 2,
    doc: "layer(name, z): a new layer at z-order z (default 0); the first becomes current",
    fn: ([n, z], ctx) =>
      draw(ctx, "gfx.layerNew", [
        layerName(n, "layer"),
        z === undefined ? 0 : int(z, "layer", "z"),
      ]),
  },
  {
    name: "useLayer",
    min: 1,
    max: 1,
    doc: "use_layer(name): draw on this layer",
    fn: ([n], ctx) => draw(ctx, "gfx.layerUse", [layerName(n, "use_layer")]),
  },
  {
    name: "deleteLayer",
    min: 1,
    max: 1,
    doc: "delete_layer(name): remove a layer and its contents",
    fn: ([n], ctx) => draw(ctx, "gfx.layerDelete", [layerName(n, "delete_layer")]),
  },
  {
    name: "layerOpacity",
    min: 2,
    max: 2,
    doc: "layer_opacity(name, 0–255)",
    fn: ([n, o], ctx) =>
      draw(ctx, "gfx.layerOpacity", [
        layerName(n, "layer_opacity"),
        int(o, "layer_opacity", "opacity"),
      ]),
  },
  {
    name: "layerVisible",
    min: 2,
    max: 2,
    doc: "layer_visible(name, True/False): show or hide a layer",
    fn: ([n, v], ctx) => draw(ctx, "gfx.layerVisible", [layerName(n, "layer_visible"), truthy(v)]),
  },
  {
    name: "clear",
    min: 1,
    max: 1,
    doc: "clear(colour): set every pixel of the current layer",
    fn: ([c], ctx) => draw(ctx, "gfx.clear", [colorOf(c, "clear")]),
  },
  shape("pixel", "gfx.pixel", ["x", "y"], "pixel(x, y, colour)"),
  shape("rect", "gfx.rect", ["x", "y", "width", "height"], "rect(x, y, w, h, colour): filled"),
  shape("line", "gfx.line", ["x0", "y0", "x1", "y1"], "line(x0, y0, x1, y1, colour)"),
  {
    name: "circle",
    min: 4,
    max: 5,
    doc: "circle(x, y, radius, colour, filled): an outline unless filled is True",
    fn: ([x, y, r, c, filled], ctx) =>
      draw(ctx, "gfx.circle", [
        int(x, "circle", "x"),
        int(y, "circle", "y"),
        int(r, "circle", "radius"),
        colorOf(c, "circle"),
        filled === undefined ? false : truthy(filled),
      ]),
  },
  {
    name: "drawText",
    min: 4,
    max: 4,
    doc: "draw_text(x, y, text, colour): the built-in 5×7 font in 6×8 cells",
    fn: ([x, y, t, c], ctx) =>
      draw(ctx, "gfx.text", [
        int(x, "draw_text", "x"),
        int(y, "draw_text", "y"),
        colorOf(c, "draw_text"),
        toText(t),
      ]),
  },
  {
    name: "present",
    min: 0,
    max: 0,
    doc: "present(): end the frame (the renderer renders and stores it)",
    fn: (_a, ctx) => draw(ctx, "gfx.present", []),
  },
  {
    name: "rgb",
    min: 3,
    max: 4,
    doc: "rgb(r, g, b[, a]): a colour number from channels 0–255",
    fn: (args) => {
      let out = 0;
      for (let i = 0; i < 4; i++) {
        const v = i < args.length ? args[i] : 255;
        if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 255) {
          pohError("ValueError", `rgb expects channels 0–255, found ${toText(v)}`);
        }
        out = out * 256 + v;
      }
      return out;
    },
  },
];

/** Drawing built-ins that call the host (all but `rgb`). */
export const GFX_HOST_NAMES: readonly string[] = GFX_BUILTINS.filter((b) => b.name !== "rgb")
  .map((b) => b.name);
