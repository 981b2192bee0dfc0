/**
 * The floor under `pxos unpack` on this machine: the least a Deno program must do to put the same
 * files on disk — start, read their bytes, create each folder once and each file new — with no
 * decompression and no checks. Timed as whole processes beside `tar xzf` and `pxos unpack` (see
 * "The archive, session 8: unpack" in `docs/PERFORMANCE.md`), it says how much of the gap to `tar`
 * no change to pxOS can remove.
 *
 * ```sh
 * deno run -A bench/unpack_floor.ts prepare /tmp/fm/t16 /tmp/floor16   # once: index + blob
 * deno run -A bench/unpack_floor.ts write /tmp/floor16 OUT             # the floor
 * deno run -A bench/unpack_floor.ts write /tmp/floor16 OUT --node      # + Deno's Node layer
 * ```
 *
 * `prepare` lists the tree (folders top-down, files in path order) into `<flat>.json` and puts every
 * file's bytes one after another in `<flat>.bin`. `write` reads the blob in order through one reused
 * buffer (as `tar` streams its input) and writes each file with `writeFileSync(createNew)` — the
 * call `pxos unpack` makes. `--node` first imports `node:zlib` and `node:crypto`, which `pxos
 * unpack` needs for inflating and hashing a large cartridge.
 *
 * @module
 */

interface FlatTree {
  folders: string[];
  files: [path: string, size: number][];
}

if (import.meta.main) {
  const [mode, a, b] = Deno.args;
  if (mode === "prepare" && a && b) prepare(a, b);
  else if (mode === "write" && a && b) await write(a, b, Deno.args.includes("--node"));
  else {
    console.error("usage: unpack_floor.ts prepare <tree> <flat> | write <flat> <out> [--node]");
    Deno.exit(2);
  }
}

function prepare(tree: string, flat: string): void {
  const listing: FlatTree = { folders: [], files: [] };
  const walk = (relative: string) => {
    const entries = [...Deno.readDirSync(relative === "" ? tree : `${tree}/${relative}`)]
      .sort((x, y) => x.name < y.name ? -1 : 1);
    for (const e of entries) {
      const path = relative === "" ? e.name : `${relative}/${e.name}`;
      if (e.isDirectory) {
        listing.folders.push(path);
        walk(path);
      } else if (e.isFile) {
        listing.files.push([path, Deno.statSync(`${tree}/${path}`).size]);
      }
    }
  };
  walk("");
  using blob = Deno.openSync(`${flat}.bin`, { write: true, create: true, truncate: true });
  for (const [path] of listing.files) blob.writeSync(Deno.readFileSync(`${tree}/${path}`));
  Deno.writeTextFileSync(`${flat}.json`, JSON.stringify(listing));
}

async function write(flat: string, out: string, node: boolean): Promise<void> {
  if (node) await Promise.all([import("node:zlib"), import("node:crypto")]);
  const listing = JSON.parse(Deno.readTextFileSync(`${flat}.json`)) as FlatTree;
  using blob = Deno.openSync(`${flat}.bin`);
  let buffer = new Uint8Array(64 * 1024);
  Deno.mkdirSync(out);
  for (const folder of listing.folders) Deno.mkdirSync(`${out}/${folder}`);
  for (const [path, size] of listing.files) {
    if (buffer.length < size) buffer = new Uint8Array(size);
    const bytes = buffer.subarray(0, size);
    for (let at = 0; at < size;) {
      const n = blob.readSync(bytes.subarray(at));
      if (n === null) throw new Error(`${flat}.bin ends before ${path}`);
      at += n;
    }
    Deno.writeFileSync(`${out}/${path}`, bytes, { createNew: true });
  }
}
