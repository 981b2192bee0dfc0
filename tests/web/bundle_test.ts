/**
 * Bundling the web player needs no network: esbuild is the pinned npm package, installed with
 * every other npm dependency. The bundle is built in a child process whose Deno folder holds only
 * this one's npm cache (no `deno bundle` download of esbuild, nothing else cached) and whose
 * proxies point at a closed port, so any download would fail the build.
 */
import { join } from "node:path";
import { assert } from "../assert.ts";

Deno.test("the web player bundles offline from the npm cache alone", async () => {
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  const npmCache: string = JSON.parse(new TextDecoder().decode(info.stdout)).npmCache;
  const denoDir = await Deno.makeTempDir();
  try {
    await Deno.symlink(npmCache, join(denoDir, "npm"));
    const out = join(denoDir, "player.js");
    const closed = "http://127.0.0.1:9";
    const built = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../../src/web/build.ts", import.meta.url).pathname, out],
      env: { DENO_DIR: denoDir, HTTPS_PROXY: closed, HTTP_PROXY: closed, NO_PROXY: "" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(built.stderr);
    assert(built.success, stderr);
    assert(!stderr.includes("Download"), stderr);
    const js = await Deno.readTextFile(out);
    assert(js.length > 100_000 && js.includes("pxosPlayer"), `bundle of ${js.length} chars`);
  } finally {
    await Deno.remove(denoDir, { recursive: true });
  }
});
