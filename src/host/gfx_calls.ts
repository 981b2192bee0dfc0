/**
 * The host side of the `gfx.*` calls: turns checked arguments into {@link DrawOp}s for the
 * run's {@link GfxSink}. Without a sink, drawing is discarded (a headless run).
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import type { HostValue } from "./calls.ts";
import type { DrawOp, GfxSink } from "./gfx_sink.ts";

/** Reads an integer argument, refusing anything that is not a finite number. */
function int(name: string, args: readonly HostValue[], index: number, call: string): number {
  const v = args[index];
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new PxosError(
      "E_TRAP",
      `${call}: expected a number for ${name} (argument ${index + 1}), found ${typeof v}`,
    );
  }
  return Math.trunc(v);
}

function color(args: readonly HostValue[], index: number, call: string): number {
  return int("rgba", args, index, call) >>> 0;
}

function str(args: readonly HostValue[], index: number): string {
  const v = args[index];
  return typeof v === "string" ? v : String(v ?? "");
}

/** Builds the draw op for `gfx.<name>`; `undefined` for `gfx.present`. */
function toDrawOp(call: string, args: readonly HostValue[]): DrawOp {
  const n = (name: string, i: number) => int(name, args, i, call);
  switch (call) {
    case "gfx.canvas":
      return { op: "canvas", width: n("width", 0), height: n("height", 1) };
    case "gfx.layerNew":
      return { op: "layerNew", name: str(args, 0), z: n("z", 1) };
    case "gfx.layerUse":
      return { op: "layerUse", name: str(args, 0) };
    case "gfx.layerDelete":
      return { op: "layerDelete", name: str(args, 0) };
    case "gfx.layerOpacity":
      return { op: "layerOpacity", name: str(args, 0), opacity: n("opacity", 1) };
    case "gfx.layerVisible":
      return { op: "layerVisible", name: str(args, 0), visible: Boolean(args[1]) };
    case "gfx.clear":
      return { op: "clear", color: color(args, 0, call) };
    case "gfx.pixel":
      return { op: "pixel", x: n("x", 0), y: n("y", 1), color: color(args, 2, call) };
    case "gfx.rect":
      return {
        op: "rect",
        x: n("x", 0),
        y: n("y", 1),
        w: n("w", 2),
        h: n("h", 3),
        color: color(args, 4, call),
      };
    case "gfx.line":
      return {
        op: "line",
        x0: n("x0", 0),
        y0: n("y0", 1),
        x1: n("x1", 2),
        y1: n("y1", 3),
        color: color(args, 4, call),
      };
    case "gfx.text":
      return {
        op: "text",
        x: n("x", 0),
        y: n("y", 1),
        color: color(args, 2, call),
        text: str(args, 3),
      };
    case "gfx.circle":
      return {
        op: "circle",
        cx: n("cx", 0),
        cy: n("cy", 1),
        r: n("r", 2),
        color: color(args, 3, call),
        filled: Boolean(args[4]),
      };
    default:
      throw new PxosError("E_TRAP", `host call ${call} is not available in this host`);
  }
}

/**
 * Performs one `gfx.*` call against `sink` (or discards it when there is none).
 *
 * @param call the host-call name, e.g. `gfx.rect`
 * @param args the call's arguments
 * @param sink where drawing goes
 */
export function invokeGfx(
  call: string,
  args: readonly HostValue[],
  sink: GfxSink | undefined,
): HostValue | Promise<HostValue> {
  if (call === "gfx.present") {
    const done = sink?.present();
    return done instanceof Promise ? done.then(() => null) : null;
  }
  const op = toDrawOp(call, args);
  sink?.draw(op);
  return null;
}
