/**
 * Attacks on the machine rather than the grant: a guest that allocates until the process dies
 * (it reached 4.3 GB and then V8's "Fatal JavaScript out of memory", exit 133), one that prints
 * without end (775 MB in 10 s), and one that prints to a reader that never reads, which held the
 * deadline off for 32 s. Stopped by: the sandbox process's heap limit (`sandbox_process.ts`), the
 * output limit (`host.ts`), and output written without blocking, held back in the Worker.
 *
 * These run `pxos` as a process, as a user does: what is checked is its exit and what it printed.
 */
import { join } from "node:path";
import { packCartridge } from "../../src/archive/cartridge.ts";
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { runPxos } from "./helpers.ts";

const encoder = new TextEncoder();

async function pohCart(dir: string, name: string, source: string, limits = {}): Promise<string> {
  const manifest = { name, version: "1.0.0", entry: "m.poh", limits };
  const { png } = await packCartridge([
    { path: "pxos.json", data: encoder.encode(JSON.stringify(manifest)) },
    { path: "m.poh", data: encoder.encode(`Start Program\n${source}\nEnd Program\n`) },
  ]);
  const path = join(dir, `${name}.pxa`);
  await Deno.writeFile(path, png);
  return path;
}

/** Many lists, each well under the per-value cap: only a bound on the whole heap stops it. */
const HOARDER = `Set xs to []
While true
  Set ys to []
  Set i to 0
  While i < 100000
    append i plus 0.5 to ys
    Increase i
  End
  append ys to xs
End`;

const SPAMMER = `Set s to "spam spam spam spam spam spam spam spam spam spam spam spam spam spam"
While true
  Write s
End`;

Deno.test("a guest that fills the heap ends with E_MEMORY (exit 2), not a crash of pxos", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    await pohCart(tmp, "hoarder", HOARDER);
    const run = await runPxos(tmp, [
      "boot",
      "hoarder.pxa",
      "--memory",
      "8000000",
      "--timeout",
      "120000",
    ]);
    console.log(`heap overrun stopped after ${Math.round(run.ms)} ms`);
    assertEquals(run.code, 2, run.stderr);
    assertMatch(
      run.stderr,
      /error \[E_MEMORY\]: the guest used more memory than its limit of 8000000 bytes/,
    );
    assertEquals(/Fatal JavaScript|Last few GCs|C stack trace/.test(run.stderr), false, run.stderr);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("output past limits.outputBytes ends the run with E_LIMIT, having printed no more", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    await pohCart(tmp, "spammer", SPAMMER, { outputBytes: 100_000 });
    const run = await runPxos(tmp, ["boot", "spammer.pxa"]);
    assertEquals(run.code, 2, run.stderr);
    assertMatch(run.stderr, /E_LIMIT.*at most 100000 bytes/);
    assert(run.stdout.length <= 100_000 && run.stdout.length > 90_000, `${run.stdout.length}`);
    // The user's --output wins over the manifest's.
    const more = await runPxos(tmp, ["boot", "spammer.pxa", "--output", "200000"]);
    assertEquals(more.code, 2, more.stderr);
    assert(more.stdout.length > 190_000 && more.stdout.length <= 200_000, `${more.stdout.length}`);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("the deadline fires on time when the reader never reads", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    await pohCart(tmp, "spammer", SPAMMER);
    const timeout = 2000;
    const spam = await runPxos(
      tmp,
      [
        "boot",
        "spammer.pxa",
        "--timeout",
        String(timeout),
        "--output",
        "100000000000",
        "--audit",
        "a.jsonl",
      ],
      { slowReader: true },
    );
    const ended = Date.now();
    const audit = (await Deno.readTextFile(join(tmp, "a.jsonl"))).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    const started = Date.parse(audit.find((e) => e.call === "boot.start").time);
    const late = ended - started - timeout;
    console.log(`stopped ${late} ms after the deadline (pxos ran ${Math.round(spam.ms)} ms)`);
    assertEquals(spam.code, 124, spam.stderr);
    assertMatch(spam.stderr, /E_TIMEOUT/);
    assert(late < 500, `stopped ${late} ms late`);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
