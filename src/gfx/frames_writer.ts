/**
 * Writing frames to disk: numbered PNGs in a folder, an APNG, each written to a temporary file
 * and renamed, so a reader never sees half a frame. The only file-system code of the graphics
 * layer; engines never reach it except through a session's `onFrame`.
 *
 * @module
 */
import { PxosError } from "../errors.ts";
import { encodeFramePng } from "./png_frame.ts";
import type { Frame } from "./render_cpu.ts";

/** Writes `bytes` to `path` through a temporary sibling file and a rename. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeFile(tmp, bytes);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw new PxosError("E_IO", `could not write ${path}: ${(e as Error).message}`, {
      file: path,
      cause: e,
    });
  }
}

/** The file name of frame `index` (0-based): `frame-0001.png` for index 0. */
export function frameFileName(index: number): string {
  return `frame-${String(index + 1).padStart(4, "0")}.png`;
}

/** A frames folder writer: pass `onFrame` to a session; `paths` lists what was written. */
export interface FramesDirWriter {
  /** Writes frame `index` as `dir/frame-NNNN.png`. */
  onFrame(frame: Frame, index: number): Promise<void>;
  /** Paths written so far, in order. */
  readonly paths: readonly string[];
}

/**
 * Creates `dir` (and parents) and returns a writer for numbered frame PNGs in it.
 *
 * @example
 * ```ts ignore
 * import { createGfxSession, framesDirWriter } from "@pxos/core";
 * const writer = await framesDirWriter("out/frames");
 * const session = await createGfxSession({ onFrame: writer.onFrame });
 * ```
 */
export async function framesDirWriter(dir: string): Promise<FramesDirWriter> {
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (e) {
    throw new PxosError("E_IO", `could not create frames folder ${dir}: ${(e as Error).message}`);
  }
  const paths: string[] = [];
  return {
    paths,
    async onFrame(frame: Frame, index: number): Promise<void> {
      const path = `${dir.replace(/\/+$/, "")}/${frameFileName(index)}`;
      await writeFileAtomic(path, await encodeFramePng(frame));
      paths.push(path);
    },
  };
}
