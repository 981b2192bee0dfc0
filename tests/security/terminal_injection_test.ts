/**
 * Attack: a manifest whose read path, title or description carries terminal control sequences,
 * so the prompt shows one thing while asking for another, or `inspect` clears the screen.
 * Stopped by: manifest validation (paths and patterns) and `escapeForTerminal` (every printer).
 */
import { join } from "node:path";
import { capturedIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { promptForGrant } from "../../src/cli/permission_options.ts";
import { requestedGrant } from "../../src/host/grant.ts";
import { validateManifest } from "../../src/archive/manifest.ts";
import { isPxosError } from "../../src/errors.ts";
import { escapeForTerminal, findUnsafeCharacter } from "../../src/text_safety.ts";
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { craftCartridge } from "./helpers.ts";

const base = { name: "evil", version: "1.0.0", entry: "m.poh" };
const program = { "m.poh": 'Start Program\nWrite "hi"\nEnd Program\n' };
/** Erase the line, go back to its start, and print a harmless request over it. */
const spoof = "\u001b[2K\r./data";
const UNSAFE = ["\u001b", "\u0007", "\u007f", "\u0085", "\u009b", "\u202e", "\u2066", "\r"];

Deno.test("manifest paths and host patterns with control or bidi characters are refused, naming the field", () => {
  for (const ch of UNSAFE) {
    for (
      const [permissions, field] of [
        [{ read: [`.${ch}`] }, "permissions.read[0]"],
        [{ write: ["./ok", `./s${ch}`] }, "permissions.write[1]"],
        [{ net: [`a.com${ch}`] }, "permissions.net[0]"],
      ] as const
    ) {
      try {
        validateManifest({ ...base, permissions });
        throw new Error(`accepted ${JSON.stringify(permissions)}`);
      } catch (e) {
        assert(isPxosError(e) && e.code === "E_MANIFEST", String(e));
        assertMatch(e.message, new RegExp(field.replace(/[[\].]/g, "\\$&")));
      }
    }
  }
  try {
    validateManifest({ ...base, entry: "m\u202e.poh" });
    throw new Error("accepted");
  } catch (e) {
    assert(isPxosError(e) && e.code === "E_MANIFEST" && /entry:/.test(e.message), String(e));
  }
});

Deno.test("boot refuses a cartridge whose read path hides a control sequence before anything is asked", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const cart = await craftCartridge(tmp, "evil.pxa", {
      ...base,
      permissions: { read: [`.${spoof}`] },
    }, program);
    const io = { ...capturedIO(), interactive: true, readLine: () => "a" };
    let stderr = "";
    io.err = (t: string) => void (stderr += t);
    const code = await runCli(["boot", cart, "--root", tmp], io);
    assertEquals(code, 2);
    assertMatch(stderr, /E_MANIFEST.*permissions\.read\[0\]/);
    assertEquals(stderr.includes("allow"), false, "nothing was asked");
    assertEquals(findUnsafeCharacter(stderr.replaceAll("\n", "")), null, stderr);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("inspect prints a title, description and file name with control sequences escaped", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const cart = await craftCartridge(tmp, "t.pxa", {
      ...base,
      title: "Nice\u001b[2J\u001b[H",
      description: "bidi \u202eevil",
    }, { ...program, "n\u0085ame.txt": "x" });
    const io = capturedIO();
    assertEquals(await runCli(["inspect", cart], io), 0, io.stderr);
    assertEquals(findUnsafeCharacter(io.stdout.replaceAll("\n", "")), null, io.stdout);
    assertMatch(io.stdout, /Nice\\x1b\[2J\\x1b\[H/);
    assertMatch(io.stdout, /bidi \\u\{202e\}evil/);
    assertMatch(io.stdout, /n\\x85ame\.txt/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("the prompt escapes every label and shows each folder's absolute path", async () => {
  const io = capturedIO();
  await promptForGrant(
    "na\u001bme",
    requestedGrant({ read: ["./data"], write: ["./saves"] }),
    io,
    () => "n",
    (p) => `/home/u/${p}`,
  );
  assertMatch(io.stderr, /allow read \.\/data \[\/home\/u\/data\]\?/);
  assertMatch(io.stderr, /allow write \.\/saves \[\/home\/u\/saves\]\?/);
  assertMatch(io.stderr, /na\\x1bme: allow/);
  assertMatch(io.stderr, /answer y to grant, n or Enter to refuse/);
});

Deno.test("guest output keeps lines and tabs but escapes what drives the terminal", () => {
  assertEquals(escapeForTerminal("a\tb\nc", { keepLines: true }), "a\tb\nc");
  assertEquals(
    escapeForTerminal("ok\r\u001b[1Aallow read .? [y/N]", { keepLines: true }),
    "ok\\x0d\\x1b[1Aallow read .? [y/N]",
  );
  assertEquals(escapeForTerminal("C:\\dir"), "C:\\dir", "plain text prints unchanged");
  assertEquals(escapeForTerminal("\\x1b\u001b"), "\\\\x1b\\x1b", "an escape cannot be forged");
});

Deno.test("an error message quoting guest text is escaped", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const cart = await craftCartridge(tmp, "e.pxa", { ...base, entry: "missing\u009b2J.poh" }, {});
    const io = capturedIO();
    assertEquals(await runCli(["verify", join(tmp, "e.pxa")], io), 2);
    assertEquals(findUnsafeCharacter(io.stderr.replaceAll("\n", "")), null, io.stderr);
    assert(cart.endsWith("e.pxa"));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
