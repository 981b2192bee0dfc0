/**
 * `pxos pack` / `pxos unpack` on disk against `tar czf` / `tar xzf` of the same tree of mixed files
 * (bench/disk_tree.ts: 16 and 64 MiB), each a whole process, timed from spawn to exit.
 *
 *   deno bench -A bench/disk_bench.ts
 *
 * What each checks: `tar xzf` the gzip CRC-32 of the whole stream; `pxos unpack` the PNG, the
 * archive digest and every member's SHA-256 before it writes anything, refusing links and
 * anything outside the target. The in-process rows (`openCartridge`+`extractArchive`) show how
 * much of the CLI's time is Deno start-up.
 *
 * @module
 */
import { join } from "node:path";
import { openCartridge } from "../src/archive/cartridge.ts";
import { extractArchive } from "../src/archive/extract.ts";
import { TREE_SIZES, writeMixedTree } from "./disk_tree.ts";

const MiB = 1024 * 1024;
const root = await Deno.makeTempDir({ prefix: "pxos-disk-bench-" });
const cli = new URL("../cli.ts", import.meta.url).pathname;
let fresh = 0;

async function run(cmd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

function pxos(...args: string[]): Promise<void> {
  return run(Deno.execPath(), "run", "-A", "--unstable-worker-options", cli, ...args, "-q");
}

/** A new, empty output path for each iteration (never timed: made before `b.start()`). */
function nextTarget(): string {
  return join(root, `out${fresh++}`);
}

globalThis.addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));

for (const size of TREE_SIZES) {
  const label = `${size / MiB} MiB`;
  const tree = join(root, `tree${size / MiB}`);
  const files = await writeMixedTree(tree, size);
  const cart = join(root, `tree${size / MiB}.pxa`);
  const tgz = join(root, `tree${size / MiB}.tgz`);
  await pxos("pack", tree, "-o", cart);
  await run("tar", "czf", tgz, "-C", tree, ".");
  const png = await Deno.readFile(cart);
  const options = { n: 5, warmup: 1 };
  const name = `${label}, ${files} files`;

  Deno.bench(
    { name: `tar xzf ${name}`, group: `unpack ${label}`, baseline: true, ...options },
    async (b) => {
      const target = nextTarget();
      await Deno.mkdir(target);
      b.start();
      await run("tar", "xzf", tgz, "-C", target);
      b.end();
    },
  );
  Deno.bench({ name: `pxos unpack ${name}`, group: `unpack ${label}`, ...options }, async (b) => {
    const target = nextTarget();
    b.start();
    await pxos("unpack", cart, "-o", target);
    b.end();
  });
  Deno.bench(
    { name: `in process: open+extract ${name}`, group: `unpack ${label}`, ...options },
    async (b) => {
      const target = nextTarget();
      b.start();
      const opened = await openCartridge(png, { verifyPayloadHash: false });
      await extractArchive(opened.archive, target);
      b.end();
    },
  );
  Deno.bench(
    { name: `tar czf ${name}`, group: `pack ${label}`, baseline: true, ...options },
    async (b) => {
      const out = `${nextTarget()}.tgz`;
      b.start();
      await run("tar", "czf", out, "-C", tree, ".");
      b.end();
    },
  );
  Deno.bench({ name: `pxos pack ${name}`, group: `pack ${label}`, ...options }, async (b) => {
    const out = `${nextTarget()}.pxa`;
    b.start();
    await pxos("pack", tree, "-o", out);
    b.end();
  });
}
