/**
 * Attack: a manifest that raises its limits (an hour of time, a huge fuel budget) runs long with
 * no word to the user, or overflows the timer. Stopped by: manifest maxima (validation), raised
 * limits shown and granted like permissions, the user's limit options winning.
 */
import { join } from "node:path";
import { MANIFEST_LIMIT_MAXIMA, validateManifest } from "../../src/archive/manifest.ts";
import { packCartridge } from "../../src/archive/cartridge.ts";
import { capturedIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { isPxosError } from "../../src/errors.ts";
import { assert, assertEquals, assertMatch } from "../assert.ts";

const encoder = new TextEncoder();
/** Prints how long it may run: its fuel is what the run's limit is, to the step. */
const COUNTER =
  "Start Program\nSet i to 0\nWhile i < 200000\n  Increase i\nEnd\nWrite i\nEnd Program\n";

async function cart(dir: string, limits: Record<string, number>): Promise<string> {
  const manifest = { name: "greedy", version: "1.0.0", entry: "m.poh", limits };
  const { png } = await packCartridge([
    { path: "pxos.json", data: encoder.encode(JSON.stringify(manifest)) },
    { path: "m.poh", data: encoder.encode(COUNTER) },
  ]);
  const path = join(dir, "greedy.pxa");
  await Deno.writeFile(path, png);
  return path;
}

Deno.test("manifest limits past the documented maxima are refused (no timer overflow)", () => {
  for (const key of Object.keys(MANIFEST_LIMIT_MAXIMA) as (keyof typeof MANIFEST_LIMIT_MAXIMA)[]) {
    for (const value of [MANIFEST_LIMIT_MAXIMA[key] + 1, 2 ** 53 - 1]) {
      try {
        validateManifest({ name: "x", version: "1.0.0", entry: "m.poh", limits: { [key]: value } });
        throw new Error(`accepted limits.${key} = ${value}`);
      } catch (e) {
        assert(isPxosError(e) && e.code === "E_MANIFEST", String(e));
        assertMatch(e.message, new RegExp(`limits\\.${key}: expected a positive integer up to`));
      }
    }
  }
});

Deno.test("a raised limit is shown as a request and not granted without the user", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const path = await cart(tmp, { timeoutMs: 600_000, fuel: 5_000_000_000 });
    const io = capturedIO();
    assertEquals(await runCli(["boot", path, "--no-prompt"], io), 0, io.stderr);
    assertMatch(
      io.stderr,
      /asks for: fuel 5000000000 steps \(default 1000000000 steps\); timeout 600 s \(default 10 s\)/,
    );
    assertMatch(io.stderr, /# granted: nothing/);
    assertMatch(
      io.stderr,
      /# not granted: fuel .*; timeout 600 s \(default 10 s\), running with the default/,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("--allow-limits and --yes grant raised limits; the user's own limit wins", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const path = await cart(tmp, { fuel: 2_000_000_000 });
    const granted = capturedIO();
    assertEquals(await runCli(["boot", path, "--allow-limits"], granted), 0, granted.stderr);
    assertMatch(granted.stderr, /# granted: fuel 2000000000 steps/);
    const yes = capturedIO();
    assertEquals(await runCli(["boot", path, "--yes"], yes), 0, yes.stderr);
    assertMatch(yes.stderr, /# granted: fuel 2000000000 steps/);
    // The user's --fuel wins over the manifest's request, down here: the loop runs out.
    const capped = capturedIO();
    assertEquals(await runCli(["boot", path, "--fuel", "1000"], capped), 2);
    assertMatch(capped.stderr, /E_FUEL/);
    assertEquals(capped.stderr.includes("asks for"), false, "a limit the user set is not asked");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("limit options out of range are usage errors", async () => {
  for (
    const [flag, value] of [["--timeout", String(2 ** 31)], ["--fuel", "0"], ["--output", "-5"]]
  ) {
    const io = capturedIO();
    assertEquals(await runCli(["boot", "nothing.pxa", flag, value], io), 1, `${flag} ${value}`);
    assertMatch(io.stderr, /E_USAGE/);
  }
});
