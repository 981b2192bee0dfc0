/**
 * What the sandbox's start message transfers: a small cartridge's files are copied (the first
 * transfer of a context costs milliseconds), large ones and Python's snapshot are transferred.
 */
import { startTransfer } from "../../src/boot/sandbox_start_transfer.ts";
import type { StartMessage } from "../../src/boot/sandbox_protocol.ts";
import { assertEquals } from "../assert.ts";

function start(sizes: number[], snapshot?: number): StartMessage {
  return {
    type: "start",
    files: sizes.map((n, i): [string, Uint8Array] => [`f${i}`, new Uint8Array(n)]),
    ...(snapshot === undefined
      ? {}
      : { python: { dir: "/pyodide", snapshot: new Uint8Array(snapshot) } }),
  } as unknown as StartMessage;
}

Deno.test("a small cartridge's files are copied, not transferred", () => {
  assertEquals(startTransfer(start([10, 2000, 300])), []);
  assertEquals(startTransfer(start([])), []);
});

Deno.test("files over 1 MiB in all are transferred, every one of them", () => {
  const message = start([600 * 1024, 600 * 1024, 5]);
  const transfer = startTransfer(message);
  assertEquals(transfer.length, 3);
  assertEquals(transfer, message.files.map(([, b]) => b.buffer));
});

Deno.test("Python's snapshot is transferred whatever the files' size", () => {
  const message = start([100], 4096);
  assertEquals(startTransfer(message), [message.python!.snapshot!.buffer]);
});
