/**
 * Start-up: `pxos boot` of the wasm-hello cartridge against `deno run` of the bare-wasm hello
 * script (`bare_hello.ts`), each a fresh process, runs interleaved; prints medians and the load.
 *
 *     deno run -A bench/wasm/startup.ts [runs=11]
 */
import { runCli } from "../../src/cli/main.ts";
import { capturedIO } from "../../src/cli/io.ts";

const runs = Number(Deno.args[0] ?? 11);
const here = new URL(".", import.meta.url).pathname;
const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "pxos-wasm-startup-" }));
const cart = `${root}/hello.pxa`;
await runCli(["pack", `${here}../../examples/wasm-hello`, "-o", cart, "-q"], capturedIO());
const config = `${here}../../deno.json`;

/** Wall time of one process, in ms. */
async function spawn(args: string[]): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    env: { PXOS_WORKER_OPTIONS: "1", DENO_NO_PROMPT: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  // The hello program exits with its own code (3); anything else is a failure to report.
  if (out.code !== 3 && out.code !== 0) {
    throw new Error(`exit ${out.code}: ${args.join(" ")}\n${new TextDecoder().decode(out.stderr)}`);
  }
  return ms;
}

const subjects: Record<string, string[]> = {
  "deno run bare_hello.ts": ["run", "--config", config, "--allow-read", `${here}bare_hello.ts`],
  "pxos boot hello.pxa": [
    "run",
    "--config",
    config,
    "--unstable-worker-options",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--allow-run",
    `${here}../../cli.ts`,
    "boot",
    cart,
    "--root",
    root,
  ],
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`load before: ${Deno.loadavg().join(" ")}`);
const times: Record<string, number[]> = {};
for (let i = 0; i < runs + 1; i++) {
  for (const [name, args] of Object.entries(subjects)) {
    const ms = await spawn(args);
    if (i > 0) (times[name] ??= []).push(ms); // the first round warms the disk cache
  }
}
const [bare, boot] = Object.values(times).map(median);
for (const [name, ts] of Object.entries(times)) {
  console.log(
    `${name.padEnd(24)} median ${median(ts).toFixed(0)} ms (min ${Math.min(...ts).toFixed(0)})`,
  );
}
console.log(`pxos boot − bare: ${(boot - bare).toFixed(0)} ms`);
console.log(`load after: ${Deno.loadavg().join(" ")}`);
await Deno.remove(root, { recursive: true });
