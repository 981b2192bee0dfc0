/**
 * `pxos boot` started the ways a user starts it — `deno run -A <path>/cli.ts` from another
 * directory with a config that does not turn on `worker-options`, or from `deno eval` — runs the
 * cartridge in its sandbox process, which pxos starts with the flag itself.
 *
 * Hermetic: the child Deno gets the repository's lock file and this run's Deno cache, so it needs
 * no network even with a cleared environment.
 */
import { join } from "node:path";
import { packCartridge } from "../../src/archive/cartridge.ts";
import { assertEquals } from "../assert.ts";

const repo = new URL("../../", import.meta.url);

/** The environment a cleared child keeps: where Deno and its cache are, nothing else. */
function minimalEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ["HOME", "PATH", "DENO_DIR", "XDG_CACHE_HOME"]) {
    const v = Deno.env.get(key);
    if (v !== undefined) env[key] = v;
  }
  return env;
}

/** A folder with a user's own config (same dependencies and lock, no "unstable") and a cart. */
async function userProject(): Promise<string> {
  const tmp = await Deno.makeTempDir();
  const ours = JSON.parse(await Deno.readTextFile(new URL("deno.json", repo)));
  await Deno.writeTextFile(join(tmp, "deno.json"), JSON.stringify({ imports: ours.imports }));
  await Deno.copyFile(new URL("deno.lock", repo), join(tmp, "deno.lock"));
  const encoder = new TextEncoder();
  const { png } = await packCartridge([
    { path: "pxos.json", data: encoder.encode('{"name":"r","version":"1.0.0","entry":"m.pxasm"}') },
    { path: "m.pxasm", data: encoder.encode("PUSH 42\nPRINT\nHALT\n") },
  ]);
  await Deno.writeFile(join(tmp, "r.pxa"), png);
  return tmp;
}

async function expect42(args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    clearEnv: true,
    env: minimalEnv(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, stderr);
  assertEquals(new TextDecoder().decode(out.stdout), "42\n");
  // Without the flag in the sandbox process Deno would have ended it with its own message.
  assertEquals(/Unstable API/.test(stderr), false, stderr);
}

Deno.test("pxos boot runs from a project whose config lacks worker-options", async () => {
  const tmp = await userProject();
  try {
    const cli = new URL("cli.ts", repo).pathname;
    await expect42(["run", "-A", "--config", join(tmp, "deno.json"), cli, "boot", "r.pxa"], tmp);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("pxos boot runs from deno eval, where it could not restart itself", async () => {
  const tmp = await userProject();
  try {
    const main = new URL("src/cli/main.ts", repo).href;
    await expect42([
      "eval",
      "--config",
      join(tmp, "deno.json"),
      `import { runCli } from "${main}"; Deno.exit(await runCli(["boot", "r.pxa"]));`,
    ], tmp);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
