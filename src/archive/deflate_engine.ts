/**
 * One raw-deflate engine kept for every member of a pack, instead of `deflateRawSync`'s new one
 * per call: each one-shot call builds a `DeflateRaw` stream (a JavaScript object with its stream
 * state, a native zlib context whose ≈ 256 KiB are allocated and freed, 16 KiB output chunks
 * joined at the end), garbage that piled up to ≈ 10 MB of a 16 MiB pack's peak memory.
 *
 * `node:zlib` has no public way to run several inputs through one engine synchronously (its
 * synchronous call closes the engine), so this drives the engine's handle as `deflateRawSync`
 * does inside: `writeSync` with `Z_FINISH` into 16 KiB output windows, the same call sequence, so
 * the same deflate stream. Two things make it byte-identical to a fresh engine, checked against
 * `deflateRawSync` by `tests/archive/deflate_engine_test.ts`:
 *
 * - the windows stay 16 KiB (`node:zlib`'s default `chunkSize`; another size changes the stream);
 * - no member sees an earlier one's bytes in the window: `deflateReset` keeps the window's old
 *   bytes, which a fresh engine has as zeros, and the match search near a member's end reads up
 *   to 258 bytes past its data — with the previous member's bytes there, 2 of the 927 files of
 *   the 16 MiB bench tree came out different. Before a member that is shorter than what earlier
 *   ones left ({@link staleEnd}), zeros are deflated (and thrown away, then a reset) over its
 *   length plus a margin. A member shorter than {@link SMALL_MEMBER_BYTES} writes only the
 *   window's start (it never slides), so it leaves its length plus the margin; a longer one, the
 *   whole window ({@link WINDOW_CLEAR_BYTES}).
 *
 * The handle (`zlib_handle.ts`) is Node's internal binding, not a documented API: when it is
 * missing, or a call reports an error, the engine is dropped and `deflateRawSync` does the work as
 * before.
 *
 * @module
 */
import type { NativeZlib } from "../native_modules.ts";
import { openZlibHandle, type ZlibHandle } from "./zlib_handle.ts";

/** `node:zlib`'s default `chunkSize`: the output window of every `writeSync` call. */
const CHUNK_BYTES = 16 * 1024;
/**
 * Larger inputs go to `deflateRawSync`: the per-call cost is nothing beside theirs, and the
 * scratch buffer stays small.
 */
const MAX_REUSED_INPUT_BYTES = 1 << 20;
/**
 * Zeros deflated after a long member: the whole 64 KiB window buffer overwritten, and a margin.
 * (128 KiB until session 8; 64 KiB measured enough and 32 KiB not, by the sequence tests of
 * `tests/archive/deflate_engine_test.ts`.)
 */
const WINDOW_CLEAR_BYTES = 65 * 1024;
/**
 * Members this short leave only the window's first `length + CLEAR_MARGIN_BYTES` bytes written:
 * zlib slides its 64 KiB window buffer only once the position reaches 64 KiB − 262 bytes, so a
 * shorter member never moves its data. (16 KiB until session 8: members of 16–60 KiB, a fifth of
 * the 16 MiB bench tree, each paid a 128 KiB clear, 17–27 ms of that pack.)
 */
const SMALL_MEMBER_BYTES = 60 * 1024;
/** Beyond a short member's end: the 258 bytes a match search reads ahead, and then some. */
const CLEAR_MARGIN_BYTES = 1024;

let engine: ZlibHandle | undefined | null; // null: tried and unavailable, or failed once
let scratch = new Uint8Array(0);
let zeros: Uint8Array | undefined;
/**
 * Where the engine's window is as a fresh engine's again: earlier members' bytes may remain
 * below this offset, never at or above it (zeros there, or never read).
 */
let staleEnd = 0;

/**
 * Runs all of `input` through the engine with `Z_FINISH`, each call given a fresh 16 KiB window
 * of {@link scratch} (grown as needed; with `keep` false every window is its start: the output is
 * thrown away); returns the bytes written, or -1 when the engine reported an error.
 */
function finish(e: ZlibHandle, zlib: NativeZlib, input: Uint8Array, keep: boolean): number {
  let inputOffset = 0;
  let inputLeft = input.length;
  let written = 0;
  for (;;) {
    const at = keep ? written : 0;
    if (at + CHUNK_BYTES > scratch.length) {
      const grown = new Uint8Array(Math.max(at + CHUNK_BYTES, scratch.length * 2));
      grown.set(scratch.subarray(0, at));
      scratch = grown;
    }
    const done = e.write(
      zlib.constants.Z_FINISH,
      input,
      inputOffset,
      inputLeft,
      scratch,
      at,
      CHUNK_BYTES,
    );
    if (done.error !== undefined) return -1;
    written += CHUNK_BYTES - done.outputLeft;
    if (done.outputLeft !== 0) return written;
    inputOffset += inputLeft - done.inputLeft;
    inputLeft = done.inputLeft;
  }
}

/**
 * Raw deflate of `data` at level 6, the same bytes as `zlib.deflateRawSync(data, { level: 6 })`,
 * through one engine reused across calls where `node:zlib`'s internals allow it. The result is a
 * fresh array the caller owns.
 */
export function deflateRawReused(zlib: NativeZlib, data: Uint8Array): Uint8Array {
  const out = deflateRawScratch(zlib, data);
  return out.buffer === scratch.buffer ? out.slice() : out;
}

/**
 * {@link deflateRawReused} without the copy: the result may be a view of the engine's scratch
 * buffer, valid only until the next call of this module — for a caller that copies or writes it
 * out at once (the archive packer: per member, that copy and its buffer's allocation and release
 * were garbage the collector and the allocator paid for).
 */
export function deflateRawScratch(zlib: NativeZlib, data: Uint8Array): Uint8Array {
  if (data.length <= MAX_REUSED_INPUT_BYTES) {
    if (engine === undefined) {
      engine = typeof zlib.createDeflateRaw === "function"
        ? openZlibHandle(zlib.createDeflateRaw({ level: 6 }))
        : null;
    }
    const e = engine;
    if (e) {
      try {
        // The window clear (see the module comment), done before a member rather than after
        // one, so that the previous output could stay in the scratch buffer until this call, and
        // only where this member can see leftovers: it overwrites the window's first `length`
        // bytes with its own (all of it from 64 KiB on), and reads at most
        // CLEAR_MARGIN_BYTES past its end.
        if (staleEnd > data.length) {
          zeros ??= new Uint8Array(WINDOW_CLEAR_BYTES);
          const clear = Math.min(staleEnd, data.length + CLEAR_MARGIN_BYTES);
          const cleared = finish(e, zlib, zeros.subarray(0, clear), false) >= 0;
          e.reset();
          if (!cleared) throw new Error("window clear failed");
        }
        const length = finish(e, zlib, data, true);
        if (length >= 0) {
          e.reset();
          staleEnd = Math.max(
            staleEnd,
            data.length < SMALL_MEMBER_BYTES
              ? data.length + CLEAR_MARGIN_BYTES
              : WINDOW_CLEAR_BYTES,
          );
          return scratch.subarray(0, length);
        }
      } catch {
        // fall through: the engine is dropped and the one-shot call does this member
      }
      dropEngine();
    }
  }
  const out = zlib.deflateRawSync(data, { level: 6 });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** True when `buffer` is the engine's scratch buffer (what {@link deflateRawScratch} lends). */
export function isDeflateScratch(buffer: ArrayBufferLike): boolean {
  return buffer === scratch.buffer;
}

/**
 * Closes the reused engine and frees its buffers, once a caller knows no member follows (`pxos
 * pack` before the image: its native memory and the scratch buffer then serve what comes next);
 * a later call opens a new one.
 */
export function releaseDeflateEngine(): void {
  closeEngine(undefined);
}

/** Closes the reused engine and never opens another in this process. */
function dropEngine(): void {
  closeEngine(null);
}

/** Closes the engine (if any), frees the scratch buffer, and sets what the next call finds. */
function closeEngine(next: undefined | null): void {
  try {
    engine?.close();
  } catch {
    // already closed
  }
  engine = next;
  scratch = new Uint8Array(0);
  staleEnd = 0;
}
