import { assert, assertEquals, assertMatch } from "../../assert.ts";

function assertStringIncludes(actual: string, expected: string): void {
  assert(
    actual.includes(expected),
    `expected ${JSON.stringify(actual)} to include ${JSON.stringify(expected)}`,
  );
}
import { isPxosError } from "../../../src/errors.ts";
import { engineFor } from "../../../src/engines/registry.ts";
import { buildModule, countedLoop, exampleFiles, leb, runWasmBytes, T } from "./helpers.ts";

const PROC_EXIT = { module: "wasi_snapshot_preview1", name: "proc_exit", params: [T.i32] };

function assertCode(error: unknown, code: string, pattern?: RegExp): void {
  assert(isPxosError(error), `expected a PxosError ${code}, found ${error}`);
  assertEquals((error as { code: string }).code, code, (error as Error).message);
  if (pattern) assertMatch((error as Error).message, pattern);
}

Deno.test("wasm: .wasm files pick the wasm engine", () => {
  assertEquals(engineFor("prog.wasm").id, "wasm");
});

Deno.test("wasm: hello in C prints, reads /cart, lists args, exits with its code", async () => {
  const { bytes, files } = await exampleFiles("wasm-hello");
  const run = await runWasmBytes(bytes, {
    path: "main.wasm",
    files,
    options: { args: ["one", "twö"] },
  });
  assertEquals(run.error, undefined);
  assertEquals(run.result?.exitCode, 3);
  assertStringIncludes(run.stdout, "Hello from C on pxOS!\n");
  assertStringIncludes(run.stdout, "argv[0] = main.wasm\nargv[1] = one\nargv[2] = twö\n");
  assertStringIncludes(run.stdout, "cart says: Pixels are storage");
  assertStringIncludes(run.stdout, "writing to /cart: refused\n");
  const bare = await runWasmBytes(bytes, { path: "main.wasm", files });
  assertEquals(bare.result?.exitCode, 0);
  assert((bare.result?.fuelUsed ?? 0) > 0, "fuel is counted");
});

Deno.test("wasm: Rust std program runs (HashMap, fs, env, exit code)", async () => {
  const { bytes, files } = await exampleFiles("wasm-rust");
  const run = await runWasmBytes(bytes, { path: "main.wasm", files });
  assertEquals(run.error, undefined);
  assertEquals(run.result?.exitCode, 5);
  assertStringIncludes(run.stdout, "   pixel ###\n");
  assertStringIncludes(run.stdout, "writing to /cart: refused");
});

Deno.test("wasm: an import pxOS does not provide is refused at load, naming it", async () => {
  const bytes = buildModule({
    imports: [{ module: "env", name: "launch_missiles" }],
    funcs: [{ body: [], export: "_start" }],
  });
  const run = await runWasmBytes(bytes);
  assertCode(run.error, "E_VERIFY", /import env\.launch_missiles \(func\) is not provided/);
  const wasiTypo = await runWasmBytes(buildModule({
    imports: [{ module: "wasi_snapshot_preview1", name: "fd_writ" }],
    funcs: [{ body: [], export: "_start" }],
  }));
  assertCode(wasiTypo.error, "E_VERIFY", /wasi_snapshot_preview1\.fd_writ/);
});

Deno.test("wasm: invalid and truncated modules are E_VERIFY", async () => {
  const good = buildModule({ funcs: [{ body: [], export: "_start" }] });
  for (const bytes of [good.subarray(0, good.length - 3), new TextEncoder().encode("hello")]) {
    assertCode((await runWasmBytes(bytes)).error, "E_VERIFY");
  }
  assertCode(
    (await runWasmBytes(buildModule({ funcs: [{ body: [], export: "main" }] }))).error,
    "E_VERIFY",
    /exported function _start/,
  );
});

Deno.test("wasm: a memory minimum over the memory limit is refused before running", async () => {
  const bytes = buildModule({ memory: { min: 20 }, funcs: [{ body: [], export: "_start" }] });
  const run = await runWasmBytes(bytes, { limits: { memoryBytes: 10 * 65536 } });
  assertCode(run.error, "E_VERIFY", /memory section: declared minimum 20 pages/);
  const fits = await runWasmBytes(bytes, { limits: { memoryBytes: 20 * 65536 } });
  assertEquals(fits.result?.exitCode, 0);
});

Deno.test("wasm: memory.grow past the limit returns -1; a grow storm stops there", async () => {
  // exit(memory.grow(n) + 10): -1 → 9, old size 1 → 11.
  const grow = (pages: number) =>
    buildModule({
      imports: [PROC_EXIT],
      memory: { min: 1 },
      funcs: [{
        body: [0x41, pages, 0x40, 0x00, 0x41, 10, 0x6a, 0x10, 0x00],
        export: "_start",
      }],
    });
  const limits = { memoryBytes: 4 * 65536 };
  assertEquals((await runWasmBytes(grow(2), { limits })).result?.exitCode, 11);
  assertEquals((await runWasmBytes(grow(4), { limits })).result?.exitCode, 9);
  // Grow one page at a time until refused; exit with how many succeeded.
  const storm = buildModule({
    imports: [PROC_EXIT],
    memory: { min: 1 },
    funcs: [{
      locals: [T.i32],
      body: [
        ...[0x03, 0x40, 0x41, 0x01, 0x40, 0x00, 0x41, 0x7f, 0x47, 0x04, 0x40],
        ...[0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00, 0x0c, 0x01, 0x0b, 0x0b],
        ...[0x20, 0x00, 0x10, 0x00],
      ],
      export: "_start",
    }],
  });
  assertEquals(
    (await runWasmBytes(storm, { limits: { memoryBytes: 40 * 65536 } })).result?.exitCode,
    39,
  );
});

Deno.test("wasm: an endless loop ends with E_FUEL; fuel used grows with the work", async () => {
  const endless = buildModule({
    funcs: [{ body: [0x03, 0x40, 0x0c, 0x00, 0x0b], export: "_start" }],
  });
  const run = await runWasmBytes(endless, { limits: { fuel: 100_000 } });
  assertCode(run.error, "E_FUEL", /out of fuel after 100000/);
  // A counted loop of n iterations uses about n × (loop body size) fuel.
  const counted = (n: number) =>
    buildModule({ funcs: [{ locals: [T.i32], body: countedLoop(n), export: "_start" }] });
  const small = (await runWasmBytes(counted(10))).result!.fuelUsed;
  const big = (await runWasmBytes(counted(1000))).result!.fuelUsed;
  assert(big > small * 50, `fuel ${small} for 10 iterations, ${big} for 1000`);
});

Deno.test("wasm: a trap is E_TRAP; deep recursion is E_TRAP, not a crash", async () => {
  assertCode(
    (await runWasmBytes(buildModule({ funcs: [{ body: [0x00], export: "_start" }] }))).error,
    "E_TRAP",
    /unreachable/,
  );
  const recurse = buildModule({ funcs: [{ body: [0x10, 0x00], export: "_start" }] });
  assertCode((await runWasmBytes(recurse)).error, "E_TRAP");
});

Deno.test("wasm: --profile counts calls per function and per import; --trace lists imports", async () => {
  const { bytes, files } = await exampleFiles("wasm-hello");
  const lines: string[] = [];
  const run = await runWasmBytes(bytes, {
    path: "main.wasm",
    files,
    options: { profile: true, trace: (l) => lines.push(l) },
  });
  const [functions, imports] = run.result!.profile!;
  assert(
    functions.rows.some((r) => r.name === "main" && r.count === 1),
    JSON.stringify(functions.rows.slice(0, 5)),
  );
  const fdWrite = imports.rows.find((r) => r.name === "wasi_snapshot_preview1.fd_write");
  assert(fdWrite && fdWrite.count > 0 && fdWrite.timeMs !== undefined);
  assert(lines.some((l) => l.startsWith("wasi_snapshot_preview1.path_open(")), lines.join("\n"));
  // Output and exit code are those of the plain run: the hooks change nothing else.
  const plain = await runWasmBytes(bytes, { path: "main.wasm", files });
  assertEquals(run.stdout, plain.stdout);
  assertEquals(run.result?.exitCode, plain.result?.exitCode);
});

Deno.test("wasm: --profile times functions; recursion, returns and proc_exit keep it consistent", async () => {
  const { bytes, files } = await exampleFiles("wasm-rust");
  const run = await runWasmBytes(bytes, { path: "main.wasm", files, options: { profile: true } });
  assertEquals(run.result?.exitCode, 5); // proc_exit, yet the profile survives
  const [functions] = run.result!.profile!;
  const main = functions.rows.find((r) => r.name.includes("4main4main"));
  assert(main && main.count === 1 && (main.timeMs ?? -1) >= 0, JSON.stringify(main));
  const total = functions.rows.reduce((t, r) => t + (r.timeMs ?? 0), 0);
  assert(total > 0 && functions.rows.every((r) => (r.timeMs ?? 0) <= total));
  // A recursive function with an early return: calls counted per entry (fib(10) = 177 calls).
  const fib = buildModule({
    imports: [PROC_EXIT],
    funcs: [
      { body: [0x41, 10, 0x10, 0x02, 0x10, 0x00], export: "_start" },
      {
        params: [T.i32],
        results: [T.i32],
        body: [
          ...[0x20, 0x00, 0x41, 0x02, 0x48, 0x04, 0x40, 0x20, 0x00, 0x0f, 0x0b], // if n<2 return n
          ...[0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x02], // fib(n-1)
          ...[0x20, 0x00, 0x41, 0x02, 0x6b, 0x10, 0x02, 0x6a], // + fib(n-2)
        ],
      },
    ],
  });
  const profiled = await runWasmBytes(fib, { options: { profile: true } });
  assertEquals(profiled.result?.exitCode, 55);
  const rows = profiled.result!.profile![0].rows;
  assertEquals(rows.find((r) => r.name === "func[2]")?.count, 177);
  assertEquals(rows.find((r) => r.name === "func[1]")?.count, 1);
});

Deno.test("wasm: stdin lines reach the guest through fd_read", async () => {
  // fd_read(0, iovec at 0 → buffer 16..80) then exit with the byte count read.
  const bytes = buildModule({
    imports: [
      {
        module: "wasi_snapshot_preview1",
        name: "fd_read",
        params: [T.i32, T.i32, T.i32, T.i32],
        results: [T.i32],
      },
      PROC_EXIT,
    ],
    memory: { min: 1 },
    data: [{ offset: 0, bytes: [16, 0, 0, 0, 64, 0, 0, 0] }],
    funcs: [{
      body: [
        0x41,
        0x00,
        0x41,
        0x00,
        0x41,
        0x01,
        0x41,
        0x08,
        0x10,
        0x00,
        0x1a,
        0x41,
        0x08,
        0x28,
        0x02,
        0x00,
        0x10,
        0x01,
      ],
      export: "_start",
    }],
  });
  assertEquals((await runWasmBytes(bytes, { input: ["hello"] })).result?.exitCode, 6);
  assertEquals((await runWasmBytes(bytes, { input: [] })).result?.exitCode, 0);
});

Deno.test("wasm pxos imports: cart_read fills the buffer; net_fetch without a grant is PXOS_PERMISSION, audited", async () => {
  const text = (s: string) => [...new TextEncoder().encode(s)];
  const i32 = (n: number) => [0x41, ...leb(n)];
  const module = (body: number[]) =>
    buildModule({
      imports: [
        { module: "pxos", name: "cart_read", params: Array(4).fill(T.i32), results: [T.i32] },
        { module: "pxos", name: "net_fetch", params: Array(10).fill(T.i32), results: [T.i32] },
        PROC_EXIT,
      ],
      memory: { min: 1 },
      data: [
        { offset: 0, bytes: text("GET") },
        { offset: 8, bytes: text("https://example.com/") },
        { offset: 48, bytes: text("note.txt") },
      ],
      funcs: [{ body: [...body, 0x10, 0x02], export: "_start" }],
    });
  const files = new Map([["note.txt", new TextEncoder().encode("cart file")]]);
  // exit(cart_read("note.txt", buf=64, cap=4)): the full length, though only 4 bytes fit.
  const length = module([...i32(48), ...i32(8), ...i32(64), ...i32(4), 0x10, 0x00]);
  assertEquals((await runWasmBytes(length, { files })).result?.exitCode, 9);
  // exit(mem[67]) after the call: the 4th byte copied ("t"); mem[68] stays 0.
  const copied = module([
    ...[...i32(48), ...i32(8), ...i32(64), ...i32(4), 0x10, 0x00, 0x1a],
    ...i32(0),
    0x2d,
    0x00,
    0x43, // i32.load8_u offset=67
  ]);
  assertEquals((await runWasmBytes(copied, { files })).result?.exitCode, "t".charCodeAt(0));
  // exit(net_fetch("GET", url, "", "", out, 0) + 10): -1 + 10.
  const fetch = module([
    ...[...i32(0), ...i32(3), ...i32(8), ...i32(20), ...i32(0), ...i32(0), ...i32(0), ...i32(0)],
    ...[...i32(0), ...i32(0), 0x10, 0x01, 0x41, 10, 0x6a],
  ]);
  const denied = await runWasmBytes(fetch);
  assertEquals(denied.result?.exitCode, 9);
  assert(
    denied.audit.some((e) => e.call === "net.fetch" && !e.allowed),
    JSON.stringify(denied.audit),
  );
});

Deno.test("wasm: a start function runs first, under the fuel budget", async () => {
  // start: exit(7) through proc_exit; _start would exit 9.
  const exits = buildModule({
    imports: [PROC_EXIT],
    funcs: [
      { body: [0x41, 9, 0x10, 0x00], export: "_start" },
      { body: [0x41, 7, 0x10, 0x00] },
    ],
    start: 2,
  });
  assertEquals((await runWasmBytes(exits)).result?.exitCode, 7);
  assertEquals((await runWasmBytes(exits, { options: { profile: true } })).result?.exitCode, 7);
  const spins = buildModule({
    funcs: [{ body: [], export: "_start" }, { body: [0x03, 0x40, 0x0c, 0x00, 0x0b] }],
    start: 1,
  });
  assertCode((await runWasmBytes(spins, { limits: { fuel: 10_000 } })).error, "E_FUEL");
});
