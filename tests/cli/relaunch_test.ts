/**
 * `deno run -A <path>/cli.ts boot x.pxa` from another directory, with a config that does not
 * turn on `worker-options`: pxos detects it and starts itself again with the flag.
 */
import { join } from "node:path";
import { packCartridge } from "../../src/archive/cartridge.ts";
import { assertEquals, assertMatch } from "../assert.ts";

const repo = new URL("../../", import.meta.url);

Deno.test("pxos boot relaunches itself with --unstable-worker-options when it is missing", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const ours = JSON.parse(await Deno.readTextFile(new URL("deno.json", repo)));
    // Same dependencies, no "unstable": what a user's own project config looks like.
    await Deno.writeTextFile(join(tmp, "deno.json"), JSON.stringify({ imports: ours.imports }));
    const encoder = new TextEncoder();
    const { png } = await packCartridge([
      {
        path: "pxos.json",
        data: encoder.encode('{"name":"r","version":"1.0.0","entry":"m.pxasm"}'),
      },
      { path: "m.pxasm", data: encoder.encode("PUSH 42\nPRINT\nHALT\n") },
    ]);
    await Deno.writeFile(join(tmp, "r.pxa"), png);
    const env: Record<string, string> = {};
    for (const key of ["HOME", "PATH", "DENO_DIR", "XDG_CACHE_HOME"]) {
      const v = Deno.env.get(key);
      if (v !== undefined) env[key] = v;
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--no-lock",
        "--config",
        join(tmp, "deno.json"),
        new URL("cli.ts", repo).pathname,
        "boot",
        "r.pxa",
      ],
      cwd: tmp,
      clearEnv: true,
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 0, stderr);
    assertEquals(new TextDecoder().decode(out.stdout), "42\n");
    // Without the relaunch Deno would have ended the process with its own message (exit 70).
    assertEquals(/Unstable API/.test(stderr), false, stderr);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("without any way to relaunch, boot says which flag is missing", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      "--no-lock",
      `import { runCli } from "${new URL("src/cli/main.ts", repo).href}";
      Deno.exit(await runCli(["boot", "nothing.pxa"]));`,
    ],
    clearEnv: true,
    env: { HOME: Deno.env.get("HOME") ?? "/", PATH: Deno.env.get("PATH") ?? "" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 1);
  assertMatch(new TextDecoder().decode(out.stderr), /--unstable-worker-options/);
});
