/**
 * The draw list: what a guest's graphics host calls turn into, and what a {@link GfxSink}
 * receives. It lives in the host layer so engines and the host can name it without importing the
 * graphics layer; `src/gfx/` implements sinks (renderers, the PXTERM recorder).
 *
 * Colours are packed `0xRRGGBBAA` unsigned numbers (see `rgba()` in `src/gfx/color.ts`).
 *
 * @module
 */

/** One draw-list operation. Coordinates are integers in canvas pixels, (0,0) top left. */
export type DrawOp =
  | { readonly op: "canvas"; readonly width: number; readonly height: number }
  | { readonly op: "layerNew"; readonly name: string; readonly z: number }
  | { readonly op: "layerUse"; readonly name: string }
  | { readonly op: "layerDelete"; readonly name: string }
  | { readonly op: "layerOpacity"; readonly name: string; readonly opacity: number }
  | { readonly op: "layerVisible"; readonly name: string; readonly visible: boolean }
  | PaintOp;

/** A draw-list operation that changes pixels of the current layer. */
export type PaintOp =
  | { readonly op: "clear"; readonly color: number }
  | { readonly op: "pixel"; readonly x: number; readonly y: number; readonly color: number }
  | {
    readonly op: "rect";
    readonly x: number;
    readonly y: number;
    readonly w: number;
    readonly h: number;
    readonly color: number;
  }
  | {
    readonly op: "hline" | "vline";
    readonly x: number;
    readonly y: number;
    readonly len: number;
    readonly color: number;
  }
  | {
    readonly op: "line";
    readonly x0: number;
    readonly y0: number;
    readonly x1: number;
    readonly y1: number;
    readonly color: number;
  }
  | {
    readonly op: "text";
    readonly x: number;
    readonly y: number;
    readonly color: number;
    readonly text: string;
  }
  | {
    readonly op: "circle";
    readonly cx: number;
    readonly cy: number;
    readonly r: number;
    readonly color: number;
    readonly filled: boolean;
  };

/**
 * Where graphics host calls go. `draw` applies one operation (throwing `PxosError` `E_TRAP` for
 * a semantic error such as an unknown layer, which engines may turn into a warning); `present`
 * ends a frame (a renderer renders and stores it; a recorder notes it).
 */
export interface GfxSink {
  /** Applies one draw-list operation. */
  draw(op: DrawOp): void;
  /** Ends the current frame. */
  present(): void | Promise<void>;
}
