import { capturedIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { choiceFromOptions, promptForGrant } from "../../src/cli/permission_options.ts";
import { decideGrant, requestedGrant } from "../../src/host/grant.ts";
import { assertEquals, assertMatch } from "../assert.ts";
import type { CliIOWithInput } from "../../src/cli/commands/run.ts";
import { packCartridge } from "../../src/archive/cartridge.ts";
import { join } from "node:path";

const request = requestedGrant({
  read: ["./data"],
  write: ["./saves"],
  net: ["api.example.com:443"],
  clock: true,
  random: true,
});

Deno.test("the prompt asks per request: y grants, anything else denies, a grants the rest", async () => {
  const io = capturedIO();
  const answers = ["y", "", "no", "a"];
  const choice = await promptForGrant("game", request, io, () => answers.shift() ?? null);
  const grant = decideGrant(request, choice);
  assertEquals(grant.read, ["data"]);
  assertEquals(grant.write, []);
  assertEquals(grant.net, []);
  assertEquals([grant.clock, grant.random], [true, true]);
  assertMatch(io.stderr, /game: allow read \.\/data\? \[y\/N\/a=all 5\]/);
  assertEquals(
    io.stderr.split("allow ").length - 1,
    4,
    "a answers for the rest: no more questions",
  );
});

Deno.test("end of input at the prompt denies what is left", async () => {
  const choice = await promptForGrant("game", request, capturedIO(), () => null);
  assertEquals(decideGrant(request, choice), decideGrant(request, {}));
});

Deno.test("bare --allow-read means all requested reading; lists are comma-separated", () => {
  const values = { "allow-read": ["\u0000all"], "allow-net": ["a.com, b.com", "c.com"] };
  const choice = choiceFromOptions(values);
  assertEquals(choice.allowRead, true);
  assertEquals(choice.allowNet, ["a.com", "b.com", "c.com"]);
});

Deno.test("boot on a terminal asks, and the answers decide the grant", async () => {
  const tmp = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(join(tmp, "data"));
    await Deno.writeTextFile(join(tmp, "data", "a.txt"), "alpha");
    const text = (s: string) => new TextEncoder().encode(s);
    const manifest = {
      name: "asker",
      version: "1.0.0",
      entry: "m.poh",
      permissions: { read: ["./data"], clock: true },
    };
    const { png } = await packCartridge([
      { path: "pxos.json", data: text(JSON.stringify(manifest)) },
      {
        path: "m.poh",
        data: text('Start Program\nWrite read file at "data/a.txt"\nEnd Program\n'),
      },
    ]);
    await Deno.writeFile(join(tmp, "a.pxa"), png);
    const answers = ["y", "n"];
    const io: CliIOWithInput = {
      ...capturedIO(),
      interactive: true,
      readLine: () => answers.shift() ?? null,
    };
    let stdout = "", stderr = "";
    io.out = (t) => void (stdout += t);
    io.err = (t) => void (stderr += t);
    const code = await runCli(["boot", join(tmp, "a.pxa"), "--root", tmp], io);
    assertEquals(code, 0, stderr);
    assertEquals(stdout, "alpha\n");
    assertMatch(stderr, /granted: read \.\/data\n# not granted: clock/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
