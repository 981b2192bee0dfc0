/**
 * `pxos disasm --x86`: a built binary listed range by range with the IR statement (and the
 * higher-level source line) each byte range came from, read from the build's source map.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { SourceMap } from "../sourcemap.ts";
import { decodeX86Range } from "./decode.ts";

const hex = (n: number, w: number) => n.toString(16).toUpperCase().padStart(w, "0");
const BYTES_PER_LINE = 8;

/** Reads and checks a source map document. */
export function parseSourceMap(text: string, file: string): SourceMap {
  let map: SourceMap;
  try {
    map = JSON.parse(text);
  } catch (e) {
    throw new PxosError("E_ASSEMBLE", `source map is not JSON: ${(e as Error).message}`, { file });
  }
  const ok = map?.version === 1 && Number.isInteger(map.origin) && Array.isArray(map.entries) &&
    map.entries.every((e) =>
      Number.isInteger(e?.start) && Number.isInteger(e?.end) && e.start <= e.end &&
      typeof e.text === "string"
    );
  if (!ok) {
    throw new PxosError("E_ASSEMBLE", "expected a PXI source map (version 1, origin, entries)", {
      file,
    });
  }
  return map;
}

/**
 * Lists `bytes` decoded instruction by instruction. With a source map, each code range is
 * decoded and shown with the IR statement (and higher-level source line) it came from, and data
 * ranges as bytes; without one, the whole binary is decoded (a linear sweep). Trailing zero
 * padding and a boot sector's signature are summarised.
 *
 * @example
 * ```ts
 * import { assembleX86, listX86, parsePxs } from "@pxos/core";
 * const build = assembleX86(parsePxs("NOP\n", "a.pxs"));
 * console.log(listX86(build.bytes, build.map).includes("NOP")); // true
 * ```
 */
export function listX86(
  bytes: Uint8Array,
  map?: SourceMap,
  origin: number = map?.origin ?? 0,
): string {
  const boot = bytes.length === 512 && bytes[510] === 0x55 && bytes[511] === 0xaa;
  const lines = [
    `; ${bytes.length} bytes at 0x${hex(origin, 4)}${boot ? " (boot sector)" : ""}${
      map ? `, IR ${map.ir}` : ", no source map"
    }`,
  ];
  const row = (offset: number, slice: Uint8Array, text: string, note = "") => {
    for (let i = 0; i < Math.max(1, slice.length); i += BYTES_PER_LINE) {
      const part = [...slice.subarray(i, i + BYTES_PER_LINE)].map((b) => hex(b, 2)).join(" ");
      const tail = i === 0 ? `${text.padEnd(26)}${note ? ` ; ${note}` : ""}` : "";
      lines.push(
        `${hex(origin + offset + i, 4)}  ${part.padEnd(BYTES_PER_LINE * 3)} ${tail}`.trimEnd(),
      );
    }
  };
  const decodeRange = (start: number, end: number, note = "") => {
    decodeX86Range(bytes, origin, start, end).forEach((d, i) =>
      row(d.offset, bytes.subarray(d.offset, d.offset + d.length), d.text, i === 0 ? note : "")
    );
  };
  let end = boot ? 510 : bytes.length;
  let padding = 0;
  if (!map) {
    while (end > 0 && bytes[end - 1] === 0 && boot) end--;
    padding = (boot ? 510 : bytes.length) - end;
    decodeRange(0, end);
  } else {
    let at = 0;
    for (const e of map.entries) {
      if (e.start < at || e.end > bytes.length) {
        throw new PxosError(
          "E_ASSEMBLE",
          `the source map does not fit this binary (range ${e.start}..${e.end} of ${bytes.length} bytes)`,
        );
      }
      if (e.start > at) decodeRange(at, e.start, "not in the source map");
      const ir = e.kind === "runtime" ? "runtime" : `line ${e.line}`;
      const note = `${ir}: ${e.text}${
        e.source_line !== undefined ? ` (${e.source_file ?? ""}:${e.source_line})` : ""
      }`;
      if (e.kind === "data") row(e.start, bytes.subarray(e.start, e.end), "(data)", note);
      else decodeRange(e.start, e.end, note);
      at = e.end;
    }
    padding = end - at;
  }
  if (padding > 0) {
    lines.push(`${hex(origin + end - padding, 4)}  (${padding} zero bytes of padding)`);
  }
  if (boot) row(510, bytes.subarray(510), "boot signature 0x55AA");
  return lines.join("\n") + "\n";
}
