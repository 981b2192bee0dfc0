import { assertEquals } from "../assert.ts";
import { crc32 } from "../../src/pixel/crc32.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("crc32 matches the standard check value", () => {
  assertEquals(crc32(bytes("123456789")), 0xcbf43926);
  assertEquals(crc32(new Uint8Array(0)), 0);
});

Deno.test("crc32 continues across pieces: crc(b, crc(a)) = crc(a + b)", () => {
  assertEquals(crc32(bytes("56789"), crc32(bytes("1234"))), 0xcbf43926);
});
