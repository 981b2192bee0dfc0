/**
 * A `node:zlib` engine driven through its handle, so one engine can serve many members: the
 * module's synchronous calls (`deflateRawSync`, `inflateRawSync`) build a new engine per call and
 * close it when they return, and `node:zlib` has no public synchronous call on a kept one.
 *
 * The handle is Node's internal binding as Deno 2.9.6 carries it (`writeSync`, `reset`, `close`,
 * `onerror`, results in the stream's `_writeState`), not a documented API: {@link openZlibHandle}
 * returns `null` when any of it is missing, and callers then keep the one-shot calls. Errors are
 * taken from `onerror` synchronously, replacing the stream's own handler, which would destroy the
 * stream and report the error only on a later tick; after one the handle is reset (zlib's reset
 * clears the error state) and stays usable.
 *
 * @module
 */

/** `writeSync`'s arguments: the flush mode, the input and its range, the output window. */
export type ZlibWriteArgs = [
  flush: number,
  input: Uint8Array,
  inputOffset: number,
  inputLength: number,
  output: Uint8Array,
  outputOffset: number,
  outputLength: number,
];

/** The parts of `node:zlib`'s internal zlib handle used here. */
interface RawHandle {
  writeSync(...args: ZlibWriteArgs): void;
  reset(): void;
  close(): void;
  onerror: (message: string, errno: number) => void;
}

/** A `node:zlib` stream seen from inside: its handle and the state `writeSync` reports into. */
interface StreamInternals {
  _handle?: RawHandle | null;
  /** `[output bytes left, input bytes left]` after the last `writeSync`. */
  _writeState?: Uint32Array;
}

/** What one {@link ZlibHandle.write} call did. */
export interface ZlibWriteResult {
  /** Input bytes not consumed. */
  inputLeft: number;
  /** Output bytes of the window not written. */
  outputLeft: number;
  /** zlib's message when the call failed ("invalid block type", "unexpected end of file"). */
  error?: string;
}

/** One zlib engine kept across members. */
export interface ZlibHandle {
  /** One `writeSync`: `input` through the engine into `output[outputOffset, +outputLength)`. */
  write(...args: ZlibWriteArgs): ZlibWriteResult;
  /** Back to a new stream's state, the same parameters; also clears an error. */
  reset(): void;
  /** Frees the native engine now. */
  close(): void;
}

/**
 * The handle of `stream` (a fresh `createDeflateRaw`/`createInflateRaw` result, never written to
 * through its stream API), or `null` when this runtime's `node:zlib` does not expose one.
 */
export function openZlibHandle(stream: unknown): ZlibHandle | null {
  const internals = stream as StreamInternals;
  const handle = internals._handle;
  const state = internals._writeState;
  if (
    typeof handle?.writeSync !== "function" || typeof handle.reset !== "function" ||
    typeof handle.close !== "function" || typeof handle.onerror !== "function" ||
    !(state instanceof Uint32Array) || state.length < 2
  ) return null;
  let error: string | undefined;
  handle.onerror = (message: string) => error = String(message);
  return {
    write(...args) {
      error = undefined;
      handle.writeSync(...args);
      const result: ZlibWriteResult = { outputLeft: state[0], inputLeft: state[1] };
      if (error !== undefined) result.error = error;
      return result;
    },
    reset: () => handle.reset(),
    close: () => handle.close(),
  };
}
