import { assertEquals } from "../assert.ts";
import { deflateRaw, inflateRawExact, releaseBuffer } from "../../src/archive/compression.ts";
import { loadNativeZlib } from "../../src/native_modules.ts";

const text = (n: number) => new TextEncoder().encode("pixel cartridge ".repeat(n));

Deno.test("releaseBuffer frees a large inflate or deflate result at once, and nothing else", async () => {
  await loadNativeZlib(); // the native one-shot path, as a large archive takes it
  const content = text(4000); // 64,000 bytes
  const deflated = await deflateRaw(content);
  const kept = deflated.slice();
  const inflated = await inflateRawExact(kept, content.length, "big");
  assertEquals(inflated, content);
  releaseBuffer(inflated);
  assertEquals(inflated.length, 0, "a large inflate result is freed");
  releaseBuffer(deflated);
  assertEquals(deflated.length, 0, "a deflate result (its own buffer) is freed");

  // Small results may share node:zlib's pool with other buffers: left alone, and so is anything
  // this module did not make.
  const small = await inflateRawExact(await deflateRaw(text(10)), 160, "small");
  releaseBuffer(small);
  assertEquals(small, text(10));
  const mine = text(1000);
  releaseBuffer(mine);
  assertEquals(mine.length, 16_000);
  // A second release of a freed result is a no-op, and the module keeps working after it.
  releaseBuffer(inflated);
  assertEquals(await inflateRawExact(kept, content.length, "again"), content);
});
