/**
 * Test helpers for the wasm engine: a tiny module builder (so tests state exactly which import,
 * memory or loop they exercise) and a run helper on a capturing host.
 */
import { writeName, writeU32 } from "../../../src/engines/wasm/binary.ts";
import { wasmEngine } from "../../../src/engines/wasm/engine.ts";
import type { RunOptions, RunResult } from "../../../src/engines/engine.ts";
import { wasm4CompileCommand } from "../../../examples/wasm_build.ts";
import { runProgram } from "../../../src/boot/run_program.ts";
import { grantedDirs } from "../../../src/boot/boot.ts";
import type { AuditEntry } from "../../../src/host/audit.ts";
import { type Grant, NO_GRANT } from "../../../src/host/grant.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS, type Limits } from "../../../src/host/limits.ts";

/** Value types by name. */
export const T = { i32: 0x7f, i64: 0x7e, f64: 0x7c } as const;

/** A function of a test module. */
export interface TestFunc {
  params?: number[];
  results?: number[];
  locals?: number[];
  /** Body bytes without the final `end`. */
  body: number[];
  /** Export name, if exported. */
  export?: string;
}

/** A test module's parts. */
export interface TestModule {
  imports?: { module: string; name: string; params?: number[]; results?: number[] }[];
  /** Memory import instead of functions: `[module, name, min]`. */
  memoryImport?: [string, string, number];
  memory?: { min: number; max?: number };
  funcs: TestFunc[];
  data?: { offset: number; bytes: number[] }[];
  /** Index of the start function (imports included). */
  start?: number;
  /** Function indexes (imports included) placed in a funcref table from slot 0. */
  table?: number[];
}

function section(out: number[], id: number, contents: number[]): void {
  out.push(id);
  writeU32(out, contents.length);
  out.push(...contents);
}

function vec(items: number[][]): number[] {
  const out: number[] = [];
  writeU32(out, items.length);
  for (const item of items) out.push(...item);
  return out;
}

function funcType(params: number[] = [], results: number[] = []): number[] {
  return [0x60, params.length, ...params, results.length, ...results];
}

/** Builds a module; `_start` must be among the exported functions for it to run. */
export function buildModule(m: TestModule): Uint8Array {
  const out = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  const imports = m.imports ?? [];
  const types = [
    ...imports.map((i) => funcType(i.params, i.results)),
    ...m.funcs.map((f) => funcType(f.params, f.results)),
  ];
  section(out, 1, vec(types));
  const importEntries = imports.map((imp, i) => {
    const e: number[] = [];
    writeName(e, imp.module);
    writeName(e, imp.name);
    e.push(0x00);
    writeU32(e, i);
    return e;
  });
  if (m.memoryImport) {
    const e: number[] = [];
    writeName(e, m.memoryImport[0]);
    writeName(e, m.memoryImport[1]);
    e.push(0x02, 0x00);
    writeU32(e, m.memoryImport[2]);
    importEntries.push(e);
  }
  if (importEntries.length > 0) section(out, 2, vec(importEntries));
  section(
    out,
    3,
    vec(m.funcs.map((_, i) => {
      const e: number[] = [];
      writeU32(e, imports.length + i);
      return e;
    })),
  );
  if (m.table) section(out, 4, vec([[0x70, 0x00, ...leb(m.table.length)]]));
  if (m.memory) {
    const limits: number[] = [m.memory.max === undefined ? 0 : 1];
    writeU32(limits, m.memory.min);
    if (m.memory.max !== undefined) writeU32(limits, m.memory.max);
    section(out, 5, vec([limits]));
  }
  const exports = m.funcs.flatMap((f, i) => {
    if (!f.export) return [];
    const e: number[] = [];
    writeName(e, f.export);
    e.push(0x00);
    writeU32(e, imports.length + i);
    return [e];
  });
  if (m.memory) {
    const e: number[] = [];
    writeName(e, "memory");
    e.push(0x02, 0x00);
    exports.push(e);
  }
  section(out, 7, vec(exports));
  if (m.start !== undefined) section(out, 8, [m.start]);
  if (m.table) section(out, 9, vec([[0x00, 0x41, 0x00, 0x0b, ...vec(m.table.map(leb))]]));
  section(
    out,
    10,
    vec(m.funcs.map((f) => {
      const locals = (f.locals ?? []).map((t) => [1, t]);
      const body = [...vec(locals), ...f.body, 0x0b];
      const e: number[] = [];
      writeU32(e, body.length);
      return [...e, ...body];
    })),
  );
  if (m.data) {
    section(
      out,
      11,
      vec(m.data.map((d) => {
        const e = [0x00, 0x41];
        writeU32(e, d.offset); // small offsets only: the builder's i32.const is unsigned-safe < 64
        e.push(0x0b);
        writeU32(e, d.bytes.length);
        return [...e, ...d.bytes];
      })),
    );
  }
  return new Uint8Array(out);
}

/** What a test run produced. */
export interface WasmRun {
  result?: RunResult;
  error?: unknown;
  stdout: string;
  stderr: string;
  audit: AuditEntry[];
}

/** Loads and runs `bytes` on a capturing host. */
export async function runWasmBytes(
  bytes: Uint8Array,
  opts: {
    path?: string;
    files?: Map<string, Uint8Array>;
    grant?: Grant;
    root?: string;
    limits?: Partial<Limits>;
    options?: RunOptions;
    input?: string[];
  } = {},
): Promise<WasmRun> {
  const run: WasmRun = { stdout: "", stderr: "", audit: [] };
  const input = [...(opts.input ?? [])];
  try {
    const program = await wasmEngine.load(bytes, {
      path: opts.path ?? "test.wasm",
      files: opts.files,
    });
    const host = createHost({
      stdout: (t) => (run.stdout += t),
      stderr: (t) => (run.stderr += t),
      readLine: () => input.shift() ?? null,
      cartFiles: opts.files,
      grant: opts.grant ?? NO_GRANT,
      root: opts.root,
      audit: (e) => run.audit.push(e),
    });
    run.result = await runProgram(wasmEngine, program, host, {
      ...DEFAULT_LIMITS,
      ...opts.limits,
    }, { dirs: grantedDirs(opts.grant ?? NO_GRANT), ...opts.options });
  } catch (e) {
    run.error = e;
  }
  return run;
}

/** Reads a committed example's `main.wasm` and its cartridge files. */
export async function exampleFiles(
  name: string,
): Promise<{ bytes: Uint8Array; files: Map<string, Uint8Array> }> {
  const dir = new URL(`../../../examples/${name}/`, import.meta.url);
  const files = new Map<string, Uint8Array>();
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile) files.set(entry.name, await Deno.readFile(new URL(entry.name, dir)));
  }
  return { bytes: files.get("main.wasm")!, files };
}

/**
 * Body bytes of a loop that runs `inner` `n` times (n ≥ 1), counting down in local 0 (the
 * function must declare one i32 local).
 */
export function countedLoop(n: number, inner: number[] = []): number[] {
  return [
    0x41,
    ...leb(n),
    0x21,
    0x00, // local0 = n
    0x03,
    0x40,
    ...inner, // loop
    0x20,
    0x00,
    0x41,
    0x01,
    0x6b,
    0x22,
    0x00,
    0x0d,
    0x00,
    0x0b, // while (--local0)
  ];
}

/** Signed LEB128 of a non-negative number. */
export function leb(n: number): number[] {
  const out: number[] = [];
  let v = n;
  for (;;) {
    const b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v === 0 && (b & 0x40) === 0) return [...out, b];
    out.push(b | 0x80);
  }
}

/**
 * Builds a C WASM-4 cartridge with clang against `examples/wasm4-include` (the caller checks the
 * compiler is present) and loads it on the wasm engine.
 */
export async function loadWasm4Cart(
  source: string,
): Promise<Awaited<ReturnType<typeof wasmEngine.load>>> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/cart.c`, source);
    const include = new URL("../../../examples/wasm4-include/", import.meta.url).pathname;
    const [cmd, ...args] = wasm4CompileCommand(`${dir}/cart.c`, `${dir}/cart.wasm`)
      .map((a) => (a === "-Iwasm4-include" ? `-I${include}` : a));
    const built = await new Deno.Command(cmd, { args, stderr: "piped" }).output();
    if (!built.success) throw new Error(new TextDecoder().decode(built.stderr));
    return await wasmEngine.load(await Deno.readFile(`${dir}/cart.wasm`), { path: "cart.wasm" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
