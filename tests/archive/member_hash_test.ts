import { createHash } from "node:crypto";
import { PxosError } from "../../src/errors.ts";
import { assert, assertEquals, assertPxosError } from "../assert.ts";
import { packArchive } from "../../src/archive/writer.ts";
import { readArchive } from "../../src/archive/reader.ts";
import { ARCHIVE_HEADER_BYTES } from "../../src/archive/format.ts";
import { sha256, toHex } from "../../src/archive/hash.ts";
import { entryOffset, pseudoRandomBytes, redigest, utf8 } from "./helpers.ts";

/** Text that deflates well and is large enough to come out of the inflater in many pieces. */
function bigText(n: number, seed: number): Uint8Array {
  const words = pseudoRandomBytes(n >> 3, seed);
  let s = "";
  for (let i = 0; s.length < n; i++) s += `word${words[i % words.length] % 50} `;
  return utf8(s.slice(0, n));
}

const independentSha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

Deno.test("sha256 agrees with an independent hash on the WebCrypto and the native paths", async () => {
  // Below 1 MiB the hash comes from WebCrypto (until node:crypto is loaded), above it natively.
  for (const size of [0, 1, 64, 100_003, (1 << 20) - 1, (1 << 20) + 17, 3_000_001]) {
    const data = pseudoRandomBytes(size, size + 5);
    assertEquals(toHex(await sha256(data)), independentSha256(data), `${size} bytes`);
  }
});

Deno.test("a large deflated member is hashed while it inflates and matches its content", async () => {
  const content = bigText(3 * 1024 * 1024, 9);
  const archive = await readArchive(await packArchive([{ path: "big.txt", data: content }]));
  const entry = archive.entries[0];
  assert(entry.compressed, "the member is stored deflated");
  assert(entry.storedSize < content.length / 2);
  assertEquals(entry.sha256, independentSha256(content));
  assertEquals(await archive.read("big.txt"), content);
});

Deno.test("a deflated member whose data inflates to other bytes of the right size is refused", async () => {
  const original = bigText(400_000, 11);
  const forged = original.slice();
  forged[123_456] ^= 0x20; // same size, one letter's case changed
  const a = await packArchive([{ path: "m.txt", data: original }]);
  const b = await packArchive([{ path: "m.txt", data: forged }]);
  const indexBytes = new DataView(a.buffer).getUint32(12, true);
  const dataStart = ARCHIVE_HEADER_BYTES + indexBytes;
  // a's header and index (with a's hash) in front of b's deflated data: a valid archive whose
  // member inflates cleanly to exactly the declared size, but to the wrong bytes.
  const spliced = concat(a.subarray(0, dataStart), b.subarray(dataStart));
  const view = new DataView(spliced.buffer);
  const storedB = b.length - dataStart;
  view.setBigUint64(16, BigInt(storedB), true);
  view.setBigUint64(entryOffset(spliced, 0) + 16, BigInt(storedB), true);
  const archive = await readArchive(await redigest(spliced));
  await assertPxosError(() => archive.read("m.txt"), "E_ARCHIVE_HASH", /expected SHA-256/);
  const report = await archive.verify();
  assertEquals([report.ok, report.failures[0]?.code], [false, "E_ARCHIVE_HASH"]);

  // Damage inside the deflate stream itself is refused too (as bad data or a hash mismatch).
  const damaged = a.slice();
  damaged[dataStart + ((a.length - dataStart) >> 1)] ^= 0x55;
  let caught: unknown;
  try {
    await (await readArchive(damaged)).read("m.txt");
  } catch (e) {
    caught = e;
  }
  assert(caught instanceof PxosError, `expected a PxosError, got ${caught}`);
  assert(["E_ARCHIVE", "E_ARCHIVE_HASH"].includes(caught.code), caught.code);
});

function concat(x: Uint8Array, y: Uint8Array): Uint8Array {
  const out = new Uint8Array(x.length + y.length);
  out.set(x, 0);
  out.set(y, x.length);
  return out;
}
