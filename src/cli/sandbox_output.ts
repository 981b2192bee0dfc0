/**
 * Copying a sandbox process's output streams to `pxos boot`'s own (`sandbox_process.ts`): UTF-8
 * decoded across chunk boundaries, V8's out-of-memory report held back, and the bytes counted, so
 * that `pxos boot` can tell when everything a child reported having written has been passed on
 * (`sandbox_report.ts`) without waiting for the stream's end, which comes only when the child's
 * process has ended.
 *
 * @module
 */

/**
 * How V8's report begins when it stops the child at its heap limit: the GC log, then the fatal
 * line. Whichever comes first starts what is not passed on.
 */
const OOM_MARKERS = ["<--- Last few GCs --->", "Fatal JavaScript out of memory"];
const LONGEST_MARKER = Math.max(...OOM_MARKERS.map((m) => m.length));

/** One stream being copied (see {@link copyOutput}). */
export interface OutputCopy {
  /** Settles when the stream has ended and everything was passed on (or could not be). */
  readonly done: Promise<void>;
  /**
   * Settles once `bytes` bytes of the stream have been passed on — text held back in case it
   * began V8's report included — or the stream has ended.
   */
  reached(bytes: number): Promise<void>;
}

/**
 * Copies a child's output stream to `write`, decoding UTF-8 across chunk boundaries. When V8's
 * out-of-memory report appears, it is not passed on (the caller reports `E_MEMORY` instead).
 */
export function copyOutput(
  stream: ReadableStream<Uint8Array>,
  write: (text: string) => void | Promise<void>,
  onOutOfMemory?: () => void,
): OutputCopy {
  const decoder = new TextDecoder();
  let held = "";
  let silenced = false;
  let received = 0;
  let ended = false;
  // Writes go out one after the other, in the order they were asked for, whoever asks.
  let written: Promise<void> = Promise.resolve();
  const pass = (text: string) => {
    if (silenced || text === "") return written;
    return written = written.then(() => write(text));
  };
  // Waiters for a count of bytes, woken as chunks are passed on (and all at the end).
  const waiters: { bytes: number; wake: () => void }[] = [];
  const wakeReached = () => {
    const due = waiters.filter((w) => ended || received >= w.bytes);
    if (due.length === 0) return;
    // Everything the child reported is here: the text held back for a split marker goes too.
    const rest = held;
    held = "";
    const passed = pass(rest);
    for (const w of due) {
      waiters.splice(waiters.indexOf(w), 1);
      passed.then(w.wake, w.wake);
    }
  };
  const copy = async () => {
    try {
      for await (const chunk of stream) {
        received += chunk.length;
        if (silenced) {
          wakeReached();
          continue;
        }
        let text = held + decoder.decode(chunk, { stream: true });
        held = "";
        if (onOutOfMemory) {
          const at = Math.min(...OOM_MARKERS.map((m) => text.indexOf(m)).filter((i) => i >= 0));
          if (Number.isFinite(at)) {
            // Keep what came before the report, less the report's leading blank lines and "#".
            const before = pass(text.slice(0, at).replace(/[\n#]*$/, ""));
            silenced = true;
            onOutOfMemory();
            await before;
            wakeReached();
            continue;
          }
          // Hold back a marker's length, in case it is split across chunks.
          held = text.slice(-LONGEST_MARKER);
          text = text.slice(0, text.length - held.length);
        }
        await pass(text);
        wakeReached();
      }
      await pass(held + decoder.decode());
    } catch {
      // A closed reader on our side, or the child gone: nothing more to copy.
    } finally {
      held = "";
      ended = true;
      wakeReached();
    }
    await written.catch(() => {});
  };
  const done = copy();
  return {
    done,
    reached(bytes) {
      const reached = new Promise<void>((wake) => waiters.push({ bytes, wake }));
      wakeReached();
      return reached;
    },
  };
}
