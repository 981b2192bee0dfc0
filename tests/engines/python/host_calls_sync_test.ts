/**
 * How the host mount talks to the host (`src/engines/python/host_calls_sync.ts`): the errno each
 * host refusal or failure becomes, and a host that can only answer later.
 */
import { PxosError } from "../../../src/errors.ts";
import { ERRNO, errnoFor, syncHostCall } from "../../../src/engines/python/host_calls_sync.ts";
import type { Host } from "../../../src/host/host.ts";
import { assertEquals, assertPxosError } from "../../assert.ts";

Deno.test("host mount errno: refusals, missing paths and the system's own errors", () => {
  const cases: [PxosError | Error, number][] = [
    [new PxosError("E_PERMISSION", "fs.stat: ./secret refused: read is not granted"), ERRNO.EACCES],
    [new PxosError("E_IO", "fs.readBytes: ./x does not exist"), ERRNO.ENOENT],
    [new PxosError("E_IO", "fs.remove: ./d: Directory not empty (os error 39)"), ERRNO.ENOTEMPTY],
    [new PxosError("E_IO", "fs.mkdir: ./a/b: Not a directory (os error 20)"), ERRNO.ENOTDIR],
    [new PxosError("E_IO", "fs.writeBytes: ./d is a directory"), ERRNO.EISDIR],
    [new PxosError("E_IO", "fs.rename: ./a/b is inside ./a (invalid argument)"), ERRNO.EINVAL],
    [new PxosError("E_MEMORY", "fs.readBytes: ./big is over the limit"), ERRNO.ENOMEM],
    [new PxosError("E_IO", "fs.readBytes: ./fifo is not a regular file"), ERRNO.EIO],
    [new Error("anything else"), ERRNO.EIO],
  ];
  for (const [error, errno] of cases) assertEquals(errnoFor(error), errno, error.message);
});

Deno.test("host mount calls: invokeSync when the host has it, else only answers given at once", async () => {
  const withSync: Host = {
    invoke: () => Promise.resolve("later"),
    invokeSync: (name) => `now: ${name}`,
  };
  assertEquals(syncHostCall(withSync)("fs.stat", ["x"]), "now: fs.stat");
  const atOnce: Host = { invoke: (name) => `at once: ${name}` };
  assertEquals(syncHostCall(atOnce)("fs.list", ["x"]), "at once: fs.list");
  const later: Host = { invoke: () => Promise.reject(new Error("never awaited")) };
  await assertPxosError(() => syncHostCall(later)("fs.list", ["x"]), "E_IO", /asynchronously/);
});
