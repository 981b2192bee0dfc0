import { assertEquals, assertMatch } from "../assert.ts";
import { runCli } from "../../src/cli/main.ts";
import { capturedIO } from "../../src/cli/io.ts";
import { PXOS_VERSION } from "../../src/version.ts";

Deno.test("pxos --version prints the runtime version", async () => {
  const io = capturedIO();
  assertEquals(await runCli(["--version"], io), 0);
  assertEquals(io.stdout, `pxos ${PXOS_VERSION}\n`);
});

Deno.test("deno.json version matches PXOS_VERSION", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assertEquals(config.version, PXOS_VERSION);
});

Deno.test("unknown command is a usage error (exit 1) with one clear line", async () => {
  const io = capturedIO();
  assertEquals(await runCli(["frobnicate"], io), 1);
  assertMatch(io.stderr, /unknown command "frobnicate"/);
  assertEquals(io.stderr.trim().split("\n").length, 1);
});

Deno.test("pxos with no command prints help and exits 1", async () => {
  const io = capturedIO();
  assertEquals(await runCli([], io), 1);
  assertMatch(io.stdout, /Usage: pxos <command>/);
});
