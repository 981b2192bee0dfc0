/**
 * What the sandbox's start message hands over by transfer rather than by copy.
 *
 * @module
 */
import type { StartMessage } from "./sandbox_protocol.ts";

/**
 * Files up to this many bytes in all go to the Worker copied, not transferred. In Deno 2.9 the
 * first `postMessage` of a context that is given a transfer list — even an empty one — takes
 * 5–7 ms (its argument conversion runs for the first time), against 0.1 ms without one; in the
 * sandbox process that was on the thread just before the guest starts. Copying a few KiB costs
 * microseconds. Larger files are transferred (no second copy in memory), and so is Python's
 * snapshot.
 */
const COPY_FILES_MAX_BYTES = 1024 * 1024;

/** What the start message transfers instead of copying (see {@link COPY_FILES_MAX_BYTES}). */
export function startTransfer(start: StartMessage): ArrayBuffer[] {
  const snapshot = start.python?.snapshot?.buffer as ArrayBuffer | undefined;
  const size = start.files.reduce((sum, [, b]) => sum + b.byteLength, 0);
  return [
    ...(size > COPY_FILES_MAX_BYTES ? start.files.map(([, b]) => b.buffer as ArrayBuffer) : []),
    ...(snapshot ? [snapshot] : []),
  ];
}
