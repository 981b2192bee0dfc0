/**
 * `pxos disasm --x86`: a built binary listed range by range with the IR statement (and the
 * higher-level source line) each byte range came from, read from the build's source map.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { SourceMap } from "../sourcemap.ts";

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
 * Lists `bytes` with the IR of each mapped range; bytes outside the map are shown as padding,
 * and a boot sector's last two bytes as its signature.
 *
 * @example
 * ```ts
 * import { assembleX86, listX86, parsePxs } from "@pxos/core";
 * const build = assembleX86(parsePxs("NOP\n", "a.pxs"));
 * console.log(listX86(build.bytes, build.map).includes("NOP")); // true
 * ```
 */
export function listX86(bytes: Uint8Array, map: SourceMap): string {
  const lines = [
    `; ${bytes.length} bytes at 0x${hex(map.origin, 4)} (${map.target}), IR ${map.ir}`,
  ];
  const row = (offset: number, slice: Uint8Array, text: string) => {
    for (let i = 0; i < Math.max(1, slice.length); i += BYTES_PER_LINE) {
      const part = [...slice.subarray(i, i + BYTES_PER_LINE)].map((b) => hex(b, 2)).join(" ");
      lines.push(
        `${hex(map.origin + offset + i, 4)}  ${part.padEnd(BYTES_PER_LINE * 3)} ${
          i === 0 ? text : ""
        }`.trimEnd(),
      );
    }
  };
  let at = 0;
  const gap = (until: number) => {
    if (until <= at) return;
    const rest = bytes.subarray(at, until);
    const boot = map.target === "x86-boot" && until === bytes.length && bytes.length === 512;
    const padEnd = boot ? until - 2 : until;
    if (padEnd > at) {
      const zero = bytes.subarray(at, padEnd).every((b) => b === 0);
      lines.push(
        `${hex(map.origin + at, 4)}  (${padEnd - at} ${
          zero ? "zero bytes of padding" : "unmapped bytes"
        })`,
      );
    }
    if (boot) row(until - 2 - 0, rest.subarray(rest.length - 2), "boot signature 0x55AA");
    at = until;
  };
  for (const e of map.entries) {
    if (e.start < at || e.end > bytes.length) {
      throw new PxosError(
        "E_ASSEMBLE",
        `the source map does not fit this binary (range ${e.start}..${e.end} of ${bytes.length} bytes)`,
      );
    }
    gap(e.start);
    const ir = e.kind === "runtime" ? "runtime" : `line ${e.line}`;
    const where = `${ir}${
      e.source_line !== undefined ? `, ${e.source_file ?? ""}:${e.source_line}` : ""
    }`;
    if (e.end > e.start) {
      row(e.start, bytes.subarray(e.start, e.end), `${e.text.padEnd(28)} ; ${where}`);
    }
    at = Math.max(at, e.end);
  }
  gap(bytes.length);
  return lines.join("\n") + "\n";
}
