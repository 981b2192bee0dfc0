/**
 * The small JavaScript inflater against `node:zlib`: the same output for every stream zlib makes
 * (levels, strategies, raw and zlib-wrapped), the same verdict on damaged streams, and never more
 * output than allowed.
 */
import zlib from "node:zlib";
import { InflateError, inflateSmall } from "../../src/pixel/inflate_small.ts";
import { assert, assertEquals } from "../assert.ts";
import { seededInts } from "./png_builder.ts";

/** Above every sample's size: the inflater allocates its whole limit. */
const LIMIT = 64 * 1024;

function samples(): Uint8Array[] {
  const int = seededInts(7); // a failure repeats
  const text = new TextEncoder().encode(
    "Hello from a pixel cartridge! 3 2 1 Liftoff. ".repeat(40) + "the end",
  );
  const noise = Uint8Array.from({ length: 3000 }, () => int(256));
  const runs = Uint8Array.from({ length: 5000 }, (_, i) => (i >> 7) & 3);
  const mixed = Uint8Array.from({ length: 20000 }, (_, i) => i % 97 < 60 ? i % 7 : int(256));
  return [new Uint8Array(0), Uint8Array.of(42), text, noise, runs, mixed];
}

const OPTIONS: zlib.ZlibOptions[] = [
  { level: 0 },
  { level: 1 },
  { level: 6 },
  { level: 9 },
  { level: 6, strategy: zlib.constants.Z_HUFFMAN_ONLY },
  { level: 6, strategy: zlib.constants.Z_RLE },
  { level: 6, strategy: zlib.constants.Z_FIXED },
];

Deno.test("inflateSmall gives zlib's output for every stream zlib makes", () => {
  let checked = 0;
  for (const data of samples()) {
    for (const options of OPTIONS) {
      const raw = new Uint8Array(zlib.deflateRawSync(data, options));
      assertEquals(inflateSmall(raw, "deflate-raw", data.length), data);
      const wrapped = new Uint8Array(zlib.deflateSync(data, options));
      assertEquals(inflateSmall(wrapped, "deflate", data.length), data);
      checked += 2;
    }
  }
  assertEquals(checked, 6 * 7 * 2);
});

Deno.test("inflateSmall never writes past its limit", () => {
  const data = samples()[2];
  const raw = new Uint8Array(zlib.deflateRawSync(data));
  let error: unknown;
  try {
    inflateSmall(raw, "deflate-raw", data.length - 1);
  } catch (e) {
    error = e;
  }
  assert(error instanceof InflateError && error.tooLong, String(error));
  assertEquals(inflateSmall(raw, "deflate-raw", data.length).length, data.length);
});

Deno.test("inflateSmall refuses bad headers, checksums, truncation and trailing bytes", () => {
  const data = samples()[2];
  const wrapped = new Uint8Array(zlib.deflateSync(data));
  const refuses = (bytes: Uint8Array, format: "deflate" | "deflate-raw", why: RegExp) => {
    try {
      inflateSmall(bytes, format, LIMIT);
    } catch (e) {
      assert(e instanceof InflateError && !e.tooLong, String(e));
      assert(why.test(e.message), e.message);
      return;
    }
    throw new Error(`accepted a stream it should refuse (${why})`);
  };
  const badHeader = wrapped.slice();
  badHeader[1] ^= 1;
  refuses(badHeader, "deflate", /header/);
  const badSum = wrapped.slice();
  badSum[badSum.length - 1] ^= 1;
  refuses(badSum, "deflate", /data check/);
  refuses(wrapped.subarray(0, wrapped.length - 9), "deflate", /end of data|Huffman|code/);
  refuses(Uint8Array.of(...wrapped, 0), "deflate", /junk/);
  refuses(Uint8Array.of(0b111), "deflate-raw", /block type/);
});

Deno.test("inflateSmall agrees with zlib on damaged streams", () => {
  const int = seededInts(99);
  const sources = samples().slice(2).flatMap((d) =>
    OPTIONS.slice(1).map((o) => new Uint8Array(zlib.deflateRawSync(d, o)))
  );
  let accepted = 0;
  let refused = 0;
  for (let round = 0; round < 3000; round++) {
    const bytes = sources[round % sources.length].slice();
    for (let flips = 1 + int(3); flips > 0; flips--) {
      bytes[int(bytes.length)] ^= 1 << int(8);
    }
    let theirs: Uint8Array | undefined;
    try {
      theirs = new Uint8Array(zlib.inflateRawSync(bytes, { maxOutputLength: LIMIT }));
    } catch {
      theirs = undefined;
    }
    let ours: Uint8Array | undefined;
    let why = "";
    try {
      ours = inflateSmall(bytes, "deflate-raw", LIMIT);
    } catch (e) {
      assert(e instanceof InflateError, String(e));
      why = e.message;
    }
    if (ours !== undefined) {
      assertEquals(ours, theirs, `round ${round}`);
      accepted++;
    } else {
      // node:zlib ignores bytes after the stream's end; this inflater (like DecompressionStream)
      // refuses them. Any other refusal must be zlib's too.
      if (theirs !== undefined) {
        assertEquals(why, "junk after the end of the stream", `round ${round}`);
      }
      refused++;
    }
  }
  assert(accepted > 50 && refused > 50, `accepted ${accepted}, refused ${refused}`);
});
