/**
 * The early sandbox process's report (`sandbox_report.ts`) and how `pxos boot` passes on the
 * output it counts (`sandbox_output.ts`): `pxos boot` may exit on a report only once every byte
 * the child said it wrote has been passed on, in order, with V8's out-of-memory report still
 * held back.
 */
import { parseChildReport, writeCounter } from "../../src/cli/sandbox_report.ts";
import { copyOutput } from "../../src/cli/sandbox_output.ts";
import { assertEquals } from "../assert.ts";

const encoder = new TextEncoder();

Deno.test("a child's report is read only when it is an exit code and two byte counts", () => {
  const parse = (text: string) => parseChildReport(encoder.encode(text)) ?? null;
  assertEquals(parse('{"code":3,"out":12,"err":0}'), { code: 3, out: 12, err: 0 });
  for (
    const bad of [
      "",
      "{",
      "null",
      "[]",
      '{"code":3,"out":12}',
      '{"code":-1,"out":0,"err":0}',
      '{"code":256,"out":0,"err":0}',
      '{"code":1.5,"out":0,"err":0}',
      '{"code":0,"out":"1","err":0}',
      '{"code":0,"out":0,"err":-4}',
    ]
  ) {
    assertEquals(parse(bad), null, bad);
  }
});

Deno.test("the write counter reports what was written to each stream", () => {
  const counter = writeCounter();
  counter.add("out", 5);
  counter.add("err", 2);
  counter.add("out", 7);
  assertEquals(counter.report(4), { code: 4, out: 12, err: 2 });
});

/** A stream whose chunks are pushed by the test; `end` closes it. */
function pushed(): { stream: ReadableStream<Uint8Array>; push(text: string): void; end(): void } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return {
    stream,
    push: (text) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

Deno.test("the counted bytes are passed on before the stream ends, held-back text included", async () => {
  const source = pushed();
  let passed = "";
  let oom = false;
  const copy = copyOutput(source.stream, (t) => void (passed += t), () => (oom = true));
  source.push("first line\n");
  source.push("second line, whose tail is held back\n");
  const total = encoder.encode("first line\nsecond line, whose tail is held back\n").length;
  await copy.reached(total);
  // The stream has not ended, yet everything the child reported is out.
  assertEquals(passed, "first line\nsecond line, whose tail is held back\n");
  assertEquals(oom, false);
  // More than was reported keeps flowing; the end settles `done`.
  source.push("é");
  source.end();
  await copy.done;
  assertEquals(passed.endsWith("é"), true);
});

Deno.test("a wait for more bytes than come ends with the stream", async () => {
  const source = pushed();
  let passed = "";
  const copy = copyOutput(source.stream, (t) => void (passed += t));
  const waiting = copy.reached(1000);
  let settled = false;
  waiting.then(() => (settled = true));
  source.push("short");
  await new Promise((r) => queueMicrotask(() => r(undefined)));
  assertEquals(settled, false);
  source.end();
  await waiting;
  assertEquals(passed, "short");
});

Deno.test("V8's out-of-memory report is still held back from what is passed on", async () => {
  const source = pushed();
  let passed = "";
  let oom = false;
  const copy = copyOutput(source.stream, (t) => void (passed += t), () => (oom = true));
  source.push("guest output\n\n#\n<--- Last f");
  source.push("ew GCs --->\nsecret heap details\n");
  source.end();
  await copy.done;
  assertEquals([passed, oom], ["guest output", true]);
});

Deno.test("writes keep their order when a slow writer is overtaken by the report", async () => {
  const source = pushed();
  const passed: string[] = [];
  const copy = copyOutput(source.stream, async (t) => {
    await new Promise((r) => setTimeout(r, t.length % 3));
    passed.push(t);
  }, () => {});
  const parts = ["a".repeat(50), "b".repeat(51), "c".repeat(52)];
  for (const p of parts) source.push(p);
  await copy.reached(parts.join("").length);
  assertEquals(passed.join(""), parts.join(""));
  source.end();
  await copy.done;
});

Deno.test("pxos boot that exits on its sandbox process's report passes on all its output and code", async () => {
  // More output than the pipes hold, then an exit code of the guest's own.
  const program = [
    "        PUSH 20000",
    "loop:   DUP",
    "        PRINT",
    "        PUSH 1",
    "        SUB",
    "        DUP",
    "        JNZ loop",
    "        POP",
    '        PRINT_STR "done"',
    "        PUSH 3",
    "        HOST_CALL exit",
    "",
  ].join("\n");
  const { packCartridge } = await import("../../src/archive/cartridge.ts");
  const { png } = await packCartridge([
    { path: "pxos.json", data: encoder.encode('{"name":"r","version":"1.0.0","entry":"m.pxasm"}') },
    { path: "m.pxasm", data: encoder.encode(program) },
  ]);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/r.pxa`, png);
    // As a user starts it: the sandbox process starts early and reports over the plan's socket.
    const cli = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../../cli.ts", import.meta.url).pathname,
        "boot",
        "r.pxa",
        "--yes",
      ],
      cwd: dir,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // A slow reader: pxos boot's own output backs up, so much of the guest's is still on its
    // way when the report comes.
    await new Promise((r) => setTimeout(r, 300));
    const out = await cli.output();
    const stderr = new TextDecoder().decode(out.stderr);
    const expected = Array.from({ length: 20000 }, (_, i) => `${20000 - i}\n`).join("") + "done\n";
    assertEquals(new TextDecoder().decode(out.stdout) === expected, true, stderr);
    assertEquals(out.code, 3, stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a report is sent only when the counts are all the child wrote", async () => {
  const { countsAreWhole } = await import("../../src/cli/sandbox_child_run.ts");
  const plan = (entry: string, engine: string | null = null) =>
    ({ cartridge: { name: "c", entry, engine } }) as Parameters<typeof countsAreWhole>[1];
  assertEquals(countsAreWhole(0, plan("main.pxasm")), true);
  assertEquals(countsAreWhole(0, plan("main.poh")), true);
  // Python's runtime may print on its own; an error or a deadline may leave uncounted bytes.
  assertEquals(countsAreWhole(0, plan("main.py")), false);
  assertEquals(countsAreWhole(0, plan("main.bin", "python")), false);
  assertEquals(countsAreWhole(3, plan("main.pxasm")), false);
  assertEquals(countsAreWhole(124, plan("main.pxasm")), false);
  assertEquals(countsAreWhole(0, undefined), false);
});
