/**
 * Running PXTERM text against a scene: draw operations go to a {@link GfxSink}-like target,
 * `INFO`/`LAYERS` print the state, `SAVE`/`PRESENT` are handed to callbacks. Every bad line —
 * unparsable or refused by the scene — prints one error line and the rest still runs.
 *
 * @module
 */
import { isPxosError } from "../errors.ts";
import type { DrawOp } from "../host/gfx_sink.ts";
import { parsePxterm, type PxtermError } from "./pxterm.ts";
import type { Scene } from "./scene.ts";

/** What a PXTERM run talks to. */
export interface PxtermTarget {
  /** The scene, for `INFO` and `LAYERS`. */
  readonly scene: Scene;
  /** Applies a draw operation (throws `PxosError` `E_TRAP` when refused). */
  draw(op: DrawOp): void;
  /** Ends a frame (`PRESENT`). */
  present(): void | Promise<void>;
  /** Writes the current frame to `path` (`SAVE`). */
  save(path: string): void | Promise<void>;
  /** Receives `INFO`/`LAYERS` output lines (with newline). */
  print(text: string): void;
  /** Receives one error line per bad line (with newline). */
  error(text: string): void;
}

/** Describes the scene for `INFO`. */
export function sceneInfo(scene: Scene): string {
  const current = scene.current ? JSON.stringify(scene.current.name) : "none";
  return `canvas ${scene.width}x${scene.height}, ${scene.layers.length} layer(s), ` +
    `current ${current}, ${scene.commandCount} draw command(s)\n`;
}

/** Lists layers front-most last for `LAYERS`. */
export function sceneLayers(scene: Scene): string {
  const rows = scene.snapshot().layers.map((l) =>
    `${l.name} z=${l.z} opacity=${l.opacity} ${l.visible ? "visible" : "hidden"} ` +
    `commands=${l.commands.length}${scene.current?.name === l.name ? " (current)" : ""}\n`
  );
  return rows.length ? rows.join("") : "(no layers)\n";
}

/**
 * Runs PXTERM text. Resolves to the errors (parse and run time) in line order.
 *
 * @param text the PXTERM source
 * @param target where drawing, output and errors go
 * @param file the file name used in error lines
 */
export async function runPxterm(
  text: string,
  target: PxtermTarget,
  file = "<pxterm>",
): Promise<PxtermError[]> {
  const { lines, errors: parseErrors } = parsePxterm(text);
  const errors: PxtermError[] = [];
  const report = (e: PxtermError) => {
    errors.push(e);
    target.error(`${file}:${e.line}: error: ${e.message}\n`);
  };
  let pi = 0;
  for (const { line, command } of lines) {
    while (pi < parseErrors.length && parseErrors[pi].line < line) report(parseErrors[pi++]);
    try {
      switch (command.op) {
        case "info":
          target.print(sceneInfo(target.scene));
          break;
        case "layers":
          target.print(sceneLayers(target.scene));
          break;
        case "save":
          await target.save(command.path);
          break;
        case "present":
          await target.present();
          break;
        default:
          target.draw(command);
      }
    } catch (e) {
      if (!isPxosError(e) || e.code === "E_MEMORY" || e.code === "E_GPU") throw e;
      report({ line, message: e.message });
    }
  }
  while (pi < parseErrors.length) report(parseErrors[pi++]);
  return errors;
}
