/**
 * PXI cartridges: the IR (JSON) travels with the binaries built from it, each with its hash,
 * listed in `<stem>.pxi-builds.json`. `pxos pack` builds the binaries a directory lacks, `pxos
 * inspect` lists them, and a boot of the IR entry runs the stored pxVM build when the recorded
 * hashes still match (else it compiles the IR).
 *
 * @module
 */
import { sha256, toHex } from "../archive/hash.ts";
import type { ArchiveInput } from "../archive/writer.ts";
import { isPxosError } from "../errors.ts";
import {
  buildPxi,
  isPxiSource,
  PXI_TARGET_EXTENSION,
  PXI_TARGETS,
  pxiStem,
  type PxiTarget,
  readPxi,
} from "./build.ts";
import { pxiToJson } from "./json.ts";

/** The index file's suffix. */
export const PXI_INDEX_SUFFIX = ".pxi-builds.json";

/** `<stem>.pxi-builds.json`. */
export interface PxiBuildIndex {
  /** Always 1. */
  version: 1;
  /** The IR member (`.pxi.json`). */
  ir: string;
  /** SHA-256 of the IR member, hex. */
  ir_sha256: string;
  /** The builds. */
  builds: { target: PxiTarget; path: string; sha256: string; bytes: number; build_ms?: number }[];
  /** Targets that could not be built, and why (e.g. a program too big for a boot sector). */
  skipped: { target: PxiTarget; reason: string }[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const hex = async (data: Uint8Array) => toHex(await sha256(data));

/**
 * Adds, for every IR file among `files`, the JSON form (when only text is there), each target's
 * binary that is missing, and the index. Binaries already present are kept (and hashed).
 *
 * @example
 * ```ts
 * import { addPxiBuilds } from "@pxos/core";
 * const files = await addPxiBuilds([{ path: "a.pxs", data: new TextEncoder().encode("HLT\n") }]);
 * console.log(files.map((f) => f.path).includes("a.pxvm")); // true
 * ```
 */
export async function addPxiBuilds(files: readonly ArchiveInput[]): Promise<ArchiveInput[]> {
  const out = [...files];
  // Members, not their bytes: a file packed from disk is only read when its bytes are needed.
  const members = new Map(out.filter((f) => !f.directory).map((f) => [f.path, f]));
  const byPath = { get: (path: string) => members.get(path)?.data };
  const stems = new Set(
    out.filter((f) => !f.directory && isPxiSource(f.path)).map((f) => pxiStem(f.path)),
  );
  for (const stem of stems) {
    const jsonPath = `${stem}.pxi.json`;
    let json = byPath.get(jsonPath);
    if (json === undefined) {
      const textPath = `${stem}.pxs`;
      json = encoder.encode(
        pxiToJson(readPxi(decoder.decode(byPath.get(textPath)!), textPath).program),
      );
      add(jsonPath, json);
    }
    const placed = readPxi(decoder.decode(json), jsonPath);
    const index: PxiBuildIndex = {
      version: 1,
      ir: jsonPath,
      ir_sha256: await hex(json),
      builds: [],
      skipped: [],
    };
    for (const target of PXI_TARGETS) {
      const path = `${stem}${PXI_TARGET_EXTENSION[target]}`;
      let bytes = byPath.get(path);
      let ms: number | undefined;
      if (bytes === undefined) {
        const start = performance.now();
        try {
          bytes = buildPxi(placed, target).bytes;
        } catch (e) {
          if (!isPxosError(e, "E_ASSEMBLE")) throw e;
          index.skipped.push({ target, reason: e.message.split("\n")[0] });
          continue;
        }
        ms = Math.round((performance.now() - start) * 100) / 100;
        add(path, bytes);
      }
      index.builds.push({
        target,
        path,
        sha256: await hex(bytes),
        bytes: bytes.length,
        ...(ms !== undefined ? { build_ms: ms } : {}),
      });
    }
    add(`${stem}${PXI_INDEX_SUFFIX}`, encoder.encode(`${JSON.stringify(index, null, 2)}\n`));
  }
  return out;

  function add(path: string, data: Uint8Array) {
    const at = out.findIndex((f) => f.path === path);
    if (at >= 0) out[at] = { path, data };
    else out.push({ path, data });
    members.set(path, { path, data });
  }
}

/** Archive-style paths only: an index names members, and inspect prints them. */
const SAFE_PATH = /^[\w][\w./-]{0,255}$/;
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Reads an index member; undefined when absent or malformed. Every field is checked (it comes
 * from an untrusted cartridge and `pxos inspect` prints it): paths are plain archive paths, hashes
 * are hex, targets are known, and the skip reasons are reduced to printable ASCII.
 */
export function parsePxiIndex(data: Uint8Array | undefined): PxiBuildIndex | undefined {
  if (data === undefined) return undefined;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(decoder.decode(data));
  } catch {
    return undefined;
  }
  if (raw?.version !== 1 || typeof raw.ir !== "string" || !SAFE_PATH.test(raw.ir)) return undefined;
  if (typeof raw.ir_sha256 !== "string" || !HEX64.test(raw.ir_sha256)) return undefined;
  if (!Array.isArray(raw.builds) || raw.builds.length > PXI_TARGETS.length) return undefined;
  const builds: PxiBuildIndex["builds"] = [];
  for (const b of raw.builds) {
    const ok = PXI_TARGETS.includes(b?.target) && typeof b.path === "string" &&
      SAFE_PATH.test(b.path) &&
      typeof b.sha256 === "string" && HEX64.test(b.sha256) && Number.isSafeInteger(b.bytes);
    if (!ok) return undefined;
    builds.push({
      target: b.target,
      path: b.path,
      sha256: b.sha256,
      bytes: b.bytes,
      ...(typeof b.build_ms === "number" ? { build_ms: b.build_ms } : {}),
    });
  }
  const skipped = (Array.isArray(raw.skipped) ? raw.skipped : [])
    .filter((x) => PXI_TARGETS.includes(x?.target) && typeof x.reason === "string")
    .slice(0, PXI_TARGETS.length)
    .map((x) => ({
      target: x.target as PxiTarget,
      reason: String(x.reason).replace(/[^\x20-\x7e]/g, "?").slice(0, 300),
    }));
  return { version: 1, ir: raw.ir, ir_sha256: raw.ir_sha256, builds, skipped };
}

/**
 * The stored pxVM build for the IR at `irPath`, when the index lists it and every hash matches
 * (the IR member, the build, and — for a `.pxs` entry — the JSON the text parses to).
 */
export async function storedPxvmBuild(
  irBytes: Uint8Array,
  irPath: string,
  files: ReadonlyMap<string, Uint8Array> | undefined,
): Promise<Uint8Array | undefined> {
  if (!files) return undefined;
  const index = parsePxiIndex(files.get(`${pxiStem(irPath)}${PXI_INDEX_SUFFIX}`));
  const json = index ? files.get(index.ir) : undefined;
  const build = index?.builds.find((b) => b.target === "pxvm");
  const bytes = build ? files.get(build.path) : undefined;
  if (!index || !json || !build || !bytes) return undefined;
  if (await hex(json) !== index.ir_sha256 || await hex(bytes) !== build.sha256) return undefined;
  if (!irPath.toLowerCase().endsWith(".pxi.json")) {
    try {
      if (pxiToJson(readPxi(decoder.decode(irBytes), irPath).program) !== decoder.decode(json)) {
        return undefined;
      }
    } catch {
      return undefined;
    }
  } else if (await hex(irBytes) !== index.ir_sha256) return undefined;
  return bytes;
}

/**
 * The PXI build indexes in a cartridge (for `pxos inspect`), each checked against the stored
 * members' hashes (`ok` false when a binary no longer matches).
 */
export async function pxiBuildsIn(
  paths: readonly string[],
  read: (path: string) => Promise<Uint8Array>,
): Promise<(PxiBuildIndex & { index: string; ok: boolean })[]> {
  const out: (PxiBuildIndex & { index: string; ok: boolean })[] = [];
  for (const path of paths.filter((p) => p.endsWith(PXI_INDEX_SUFFIX))) {
    const index = parsePxiIndex(await read(path));
    if (!index) continue;
    let ok = paths.includes(index.ir) && await hex(await read(index.ir)) === index.ir_sha256;
    for (const b of index.builds) {
      ok = ok && paths.includes(b.path) && await hex(await read(b.path)) === b.sha256;
    }
    out.push({ index: path, ok, ...index });
  }
  return out;
}
