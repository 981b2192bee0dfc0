/**
 * `deno task examples:wasm`: regenerates `examples/wasm-include/pxos.h` and `pxos.rs` from the
 * host-call table and rebuilds each wasm example's committed `main.wasm` from its source —
 * `main.c` with clang (`--target=wasm32-wasi`, Debian's wasi-libc), `main.rs` with rustc
 * (`--target wasm32-wasi`, Debian's libstd-rust-dev-wasm32). A missing compiler skips that
 * example with a message.
 */
import { generatePxosHeader, generatePxosRust } from "../src/engines/wasm/bindings.ts";

/**
 * The wasm example folders and their source language (`wasm4`: C against `wasm4-include/wasm4.h`,
 * a WASM-4 cartridge without libc).
 */
export const WASM_EXAMPLES: readonly { name: string; source: "c" | "rust" | "wasm4" }[] = [
  { name: "wasm-hello", source: "c" },
  { name: "wasm-grep", source: "c" },
  { name: "wasm-life", source: "c" },
  { name: "wasm-play", source: "c" },
  { name: "wasm-rust", source: "rust" },
  { name: "wasm4-game", source: "wasm4" },
];

const here = new URL(".", import.meta.url).pathname;

/** The benchmark guest (`bench/wasm/bench.c`), built at two optimisation levels. */
export const WASM_BENCH_BUILDS: readonly { opt: "-O0" | "-O2"; out: string }[] = [
  { opt: "-O0", out: "../bench/wasm/bench_O0.wasm" },
  { opt: "-O2", out: "../bench/wasm/bench_O2.wasm" },
];

/** The clang command for the benchmark guest at `opt` (run in `examples/`). */
export function benchCompileCommand(opt: string, out: string): string[] {
  return [
    "clang",
    "--target=wasm32-wasi",
    "--sysroot=/usr",
    opt,
    "-Wl,--strip-debug",
    "-Iwasm-include",
    "-o",
    out,
    "../bench/wasm/bench.c",
  ];
}

/** Debian's rustc has the wasm32-wasi std; a rustup `rustc` earlier on PATH may not. */
function rustc(): string {
  try {
    return Deno.statSync("/usr/bin/rustc").isFile ? "/usr/bin/rustc" : "rustc";
  } catch {
    return "rustc";
  }
}

/**
 * The compiler command for one example (output to `out`). It runs in `examples/` with relative
 * source paths, because Rust embeds the source path in panic locations: the same bytes then
 * come out wherever the repository is checked out.
 */
export function compileCommand(
  name: string,
  source: "c" | "rust" | "wasm4",
  out: string,
): string[] {
  const dir = name;
  if (source === "wasm4") return wasm4CompileCommand(`${dir}/main.c`, out);
  return source === "c"
    ? [
      "clang",
      "--target=wasm32-wasi",
      "--sysroot=/usr",
      "-O2",
      "-Wl,--strip-debug",
      "-Iwasm-include",
      "-o",
      out,
      `${dir}/main.c`,
    ]
    : [
      rustc(),
      "--target",
      "wasm32-wasi",
      "--edition",
      "2021",
      "-C",
      "opt-level=2",
      "-C",
      "strip=debuginfo",
      "-o",
      out,
      `${dir}/main.rs`,
    ];
}

/**
 * The clang command for a WASM-4 cartridge (run in `examples/`): no libc, no entry, the one
 * 64 KiB page imported, data placed after WASM-4's memory map (0x19a0).
 */
export function wasm4CompileCommand(source: string, out: string): string[] {
  return [
    "clang",
    "--target=wasm32",
    "-nostdlib",
    "-O2",
    "-Wl,--no-entry",
    "-Wl,--import-memory",
    "-Wl,--initial-memory=65536",
    "-Wl,--max-memory=65536",
    "-Wl,--global-base=6560",
    "-Wl,-zstack-size=8192",
    "-Wl,--strip-debug",
    "-Iwasm4-include",
    "-o",
    out,
    source,
  ];
}

/**
 * Whether the toolchain works here: a one-line program must build for wasm32-wasi (the compiler
 * alone is not enough: clang also needs wasi-libc and the wasm32 builtins, rustc the wasm32 std).
 */
export async function hasCompiler(source: "c" | "rust" | "wasm4"): Promise<boolean> {
  // A WASM-4 cartridge needs clang and lld, which the wasm32-wasi probe also needs.
  if (source === "wasm4") source = "c";
  const dir = await Deno.makeTempDir({ prefix: "pxos-toolchain-" });
  try {
    const src = `${dir}/probe.${source === "c" ? "c" : "rs"}`;
    await Deno.writeTextFile(
      src,
      source === "c" ? "int main(void) { return 0; }\n" : "fn main() {}\n",
    );
    const [cmd, ...args] = source === "c"
      ? ["clang", "--target=wasm32-wasi", "--sysroot=/usr", "-o", `${dir}/p.wasm`, src]
      : [rustc(), "--target", "wasm32-wasi", "-o", `${dir}/p.wasm`, src];
    const { success } = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" })
      .output();
    return success;
  } catch {
    return false; // not installed at all
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Builds one example to `out`; throws with the compiler's message when it fails. */
export async function buildWasmExample(
  name: string,
  source: "c" | "rust" | "wasm4",
  out: string,
): Promise<void> {
  await runCompiler(compileCommand(name, source, out), name);
}

async function runCompiler([cmd, ...args]: string[], name: string): Promise<void> {
  const result = await new Deno.Command(cmd, { args, cwd: here, stdout: "piped", stderr: "piped" })
    .output();
  if (!result.success) {
    throw new Error(`${cmd} failed for ${name}:\n${new TextDecoder().decode(result.stderr)}`);
  }
}

if (import.meta.main) {
  await Deno.writeTextFile(`${here}wasm-include/pxos.h`, generatePxosHeader());
  await Deno.writeTextFile(`${here}wasm-include/pxos.rs`, generatePxosRust());
  let failed = 0;
  for (const { name, source } of WASM_EXAMPLES) {
    if (!(await hasCompiler(source))) {
      console.log(
        `skipped ${name}: no ${source === "rust" ? "rustc" : "clang + wasi-libc"} for wasm32-wasi`,
      );
      continue;
    }
    try {
      await buildWasmExample(name, source, `${here}${name}/main.wasm`);
      console.log(`built examples/${name}/main.wasm`);
    } catch (e) {
      console.error((e as Error).message);
      failed++;
    }
  }
  if (await hasCompiler("c")) {
    for (const { opt, out } of WASM_BENCH_BUILDS) {
      await runCompiler(benchCompileCommand(opt, out), `bench ${opt}`);
      console.log(`built bench/wasm/bench_${opt.slice(1)}.wasm`);
    }
  }
  if (failed > 0) Deno.exit(1);
}
