import type { ByteSource } from "../../src/pixel/cartridge_read_stream.ts";

/** Hands `bytes` over at most `size` bytes at a time, so that piece boundaries fall everywhere. */
export function inPieces(bytes: Uint8Array, size: number): ByteSource {
  let at = 0;
  return (into) => {
    const n = Math.min(into.length, size, bytes.length - at);
    into.set(bytes.subarray(at, at + n));
    at += n;
    return n;
  };
}
