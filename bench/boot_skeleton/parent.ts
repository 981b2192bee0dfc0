/**
 * The process shape of `pxos boot` with no pxOS code in it, as a yardstick for start-up
 * (docs/PERFORMANCE.md, "Issue 16 at the end of session 8"): this process spawns a second `deno
 * run` (`child.ts`), which starts a Worker without permissions (`worker.ts`) that prints "hello".
 * Boot ÷ skeleton is what pxOS's own work costs on the critical path.
 *
 * ```sh
 * deno run -A bench/boot_skeleton/parent.ts
 * ```
 *
 * @module
 */
const child = new Deno.Command(Deno.execPath(), {
  args: ["run", "--unstable-worker-options", "-A", new URL("./child.ts", import.meta.url).href],
  stdout: "inherit",
}).spawn();
Deno.exit((await child.status).code);
