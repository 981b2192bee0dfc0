/**
 * `extractCartridgeStream` (src/archive/stream_extract.ts): the tree `extractArchive` writes, and
 * no trace when a member or the image after the last member is damaged.
 */
import { join } from "node:path";
import { openCartridge } from "../../src/archive/cartridge.ts";
import { extractArchive } from "../../src/archive/extract.ts";
import { extractCartridgeStream } from "../../src/archive/stream_extract.ts";
import { packArchive } from "../../src/archive/writer.ts";
import { encodeCartridgeImage } from "../../src/pixel/cartridge_image.ts";
import { assertEquals, assertPxosError } from "../assert.ts";
import { inPieces } from "../pixel/in_pieces.ts";
import { entryOffset, pseudoRandomBytes, treeOf as tree, utf8 } from "./helpers.ts";
import {
  ARCHIVE_ENTRY_BYTES,
  ARCHIVE_HEADER_BYTES,
  ENTRY_FLAG_DEFLATE,
} from "../../src/archive/format.ts";

const FILES = [
  { path: "pxos.json", data: utf8('{"name":"s","version":"1.0.0","entry":"main.pxasm"}') },
  { path: "main.pxasm", data: utf8("HALT\n") },
  ...Array.from({ length: 40 }, (_, i) => ({
    path: `d${i % 4}/r${i}.bin`,
    data: pseudoRandomBytes(3000 + i * 97, i + 1),
  })),
];

/** Payload rows in stored blocks, as `pxos pack` writes an incompressible payload. */
const STORED = { compression: "store" } as const;

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "pxos-stream-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a cartridge unpacked as a stream is the tree extractArchive writes", async () => {
  await withTemp(async (dir) => {
    const png = await encodeCartridgeImage(await packArchive(FILES), STORED);
    const { written, total } = await extractCartridgeStream(
      inPieces(png, 4093),
      "c.pxa",
      join(dir, "streamed"),
    );
    const whole = await extractArchive((await openCartridge(png)).archive, join(dir, "whole"));
    assertEquals(written, whole);
    assertEquals(total, FILES.reduce((n, f) => n + f.data.length, 0));
    assertEquals(await tree(join(dir, "streamed")), await tree(join(dir, "whole")));
    for (const f of FILES) {
      assertEquals(await Deno.readFile(join(dir, "streamed", f.path)), f.data, f.path);
    }
  });
});

Deno.test("a damaged member, or damage after the last one, leaves no trace", async () => {
  await withTemp(async (dir) => {
    const payload = await packArchive(FILES, { compress: false });
    payload[payload.length - 10] ^= 0x01; // inside the last member's data
    const damaged = await encodeCartridgeImage(payload, STORED);
    await assertPxosError(
      () => extractCartridgeStream(inPieces(damaged, 65536), "c.pxa", join(dir, "new/target")),
      "E_ARCHIVE_HASH",
    );
    assertEquals(await tree(dir), []);
    // Every member good, but the image ends without IEND: found after the last member is written.
    const png = await encodeCartridgeImage(await packArchive(FILES), STORED);
    await assertPxosError(
      () => extractCartridgeStream(inPieces(png.subarray(0, png.length - 12), 65536), "c.pxa", dir),
      "E_PNG_CORRUPT",
      /truncated/,
    );
    assertEquals(await tree(dir), []);
  });
});

Deno.test("a member in the middle that differs from its hash: named with both hashes, nothing left in a new or an existing target", async () => {
  await withTemp(async (dir) => {
    const good = await packArchive(FILES); // deflated members where deflate pays
    const damaged = good.slice();
    // The index's 20th entry; its data lies where the index says (offset at +8, stored length at
    // +16, SHA-256 at +32, relative to the data section after the header and index).
    const view = new DataView(damaged.buffer);
    const entry = entryOffset(damaged, 20);
    const path = new TextDecoder().decode(
      damaged.subarray(
        entry + ARCHIVE_ENTRY_BYTES,
        entry + ARCHIVE_ENTRY_BYTES + view.getUint16(entry, true),
      ),
    );
    const dataStart = ARCHIVE_HEADER_BYTES + view.getUint32(12, true);
    const at = dataStart + Number(view.getBigUint64(entry + 8, true));
    const stored = Number(view.getBigUint64(entry + 16, true));
    const compressed = (view.getUint16(entry + 2, true) & ENTRY_FLAG_DEFLATE) !== 0;
    const expected = Array.from(
      damaged.subarray(entry + 32, entry + 64),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
    assertEquals(compressed, false, "entry 20 is random bytes, stored as they are");
    damaged[at + (stored >> 1)] ^= 0x40;
    const png = await encodeCartridgeImage(damaged, STORED);
    const existing = join(dir, "existing");
    await Deno.mkdir(join(existing, "kept"), { recursive: true });
    await Deno.writeTextFile(join(existing, "kept", "note.txt"), "mine");
    for (const target of [join(dir, "new", "target"), existing]) {
      await assertPxosError(
        () => extractCartridgeStream(inPieces(png, 65536), "c.pxa", target),
        "E_ARCHIVE_HASH",
        new RegExp(
          `^c\\.pxa: ${
            path.replaceAll(".", "\\.")
          }: expected SHA-256 ${expected}, found [0-9a-f]{64}$`,
        ),
      );
    }
    assertEquals(await tree(dir), ["existing", "existing/kept", "existing/kept/note.txt"]);
  });
});

Deno.test("a header declaring a payload longer than the file is refused before any member is read", async () => {
  await withTemp(async (dir) => {
    const png = await encodeCartridgeImage(await packArchive(FILES), STORED);
    const target = join(dir, "t");
    let refused: unknown;
    try {
      await extractCartridgeStream(inPieces(png, 4093), "c.pxa", target, {}, 1000);
    } catch (e) {
      refused = e;
    }
    assertEquals((refused as Error)?.name, "NotStreamable");
    assertEquals(await exists(target), false);
    // The same image with its true size is taken.
    const { written } = await extractCartridgeStream(
      inPieces(png, 4093),
      "c.pxa",
      target,
      {},
      png.length,
    );
    assertEquals(written.length, FILES.length);
  });
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
