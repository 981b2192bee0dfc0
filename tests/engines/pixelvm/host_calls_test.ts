import { PxosError } from "../../../src/errors.ts";
import { PIXELVM_HOST_CALLS } from "../../../src/engines/pixelvm/isa.ts";
import { findHostCall } from "../../../src/host/calls.ts";
import { createHost, GuestExit, type Host } from "../../../src/host/host.ts";
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { runBoth, runSource } from "./helpers.ts";

Deno.test("every PixelVM host-call id maps onto a row of the shared table", () => {
  for (const h of PIXELVM_HOST_CALLS) assert(findHostCall(h.hostCall), `${h.name} → ${h.hostCall}`);
  assertEquals(PIXELVM_HOST_CALLS.map((h) => h.id), PIXELVM_HOST_CALLS.map((_, i) => i));
});

Deno.test("print_top (id 0) prints the top without popping it", async () => {
  const { out } = await runBoth("PUSH 5\nHOST_CALL print_top\nPUSH 1\nADD\nPRINT\nHALT");
  assertEquals(out, "5\n6\n");
});

Deno.test("write_str, write_err, write_int and write_char print from the stack and memory", async () => {
  const src = `.data
s: .string "héllo"
e:
.code
PUSH s
PUSH e - s
HOST_CALL write_str
PUSH -12
HOST_CALL write_int
PUSH 0x1F600
HOST_CALL write_char
PUSH 0xD800
HOST_CALL write_char
PUSH s
PUSH 2
HOST_CALL write_err
HALT`;
  const { out, err } = await runBoth(src);
  assertEquals(out, "héllo-12😀\uFFFD");
  assertEquals(err, "h\uFFFD"); // 2 bytes cut é in half
});

Deno.test("read_line stores a line in memory and returns its length, -1 at end of input", async () => {
  const src = `PUSH 100
PUSH 3
HOST_CALL read_line
PRINT
PUSH 100
PUSH 3
HOST_CALL write_str
PUSH 10
HOST_CALL write_char
PUSH 100
PUSH 50
HOST_CALL read_line
PRINT
HALT`;
  const { out } = await runBoth(src, { input: ["abcdef"] });
  assertEquals(out, "3\nabc\n-1\n");
});

const CART_READ = `.data
name: .string "data.txt"
end:
buf: .zero 16
.code
PUSH name
PUSH end - name
PUSH buf
PUSH 16
HOST_CALL cart_read
DUP
PRINT
DUP
JZ done
PUSH buf
SWAP
HOST_CALL write_str
done: HALT`;

Deno.test("cart_read copies a cartridge file into memory; -2 when there is no such file", async () => {
  const files = new Map([["data.txt", new TextEncoder().encode("pixel data")]]);
  const { out } = await runBoth(CART_READ, { files });
  assertEquals(out, "10\npixel data");
  const missing = await runBoth(CART_READ.replace("JZ done", "PUSH 0\nLT\nJNZ done"), {
    files: new Map(),
  });
  assertEquals(missing.out, "-2\n");
});

Deno.test("time, clock_ms and random are deterministic without grants", async () => {
  const src = "HOST_CALL time\nPRINT\nHOST_CALL clock_ms\nPRINT\nHOST_CALL random\nPRINT\nHALT";
  const a = await runBoth(src);
  const b = await runBoth(src);
  assertEquals(a.out, b.out);
  const [time, ms] = a.out.split("\n").map(Number);
  assertEquals(time, 946684800); // the virtual clock starts at 2000-01-01
  assertEquals(ms, 2); // the host's virtual clock ticks 1 ms per read of either clock
});

Deno.test("with the clock granted, time is the real time", async () => {
  const { out } = await runSource("HOST_CALL time\nPRINT\nHALT", { grants: ["clock"] });
  assert(Math.abs(Number(out) - Date.now() / 1000) < 5);
});

Deno.test("a denied host call pushes -1 for the guest to handle", async () => {
  let printed = "";
  const base = createHost({ stdout: (t) => (printed += t) });
  const denying: Host = {
    invoke(name, args) {
      if (name === "clock.now" || name === "random.bytes") {
        throw new PxosError("E_PERMISSION", `${name} denied`);
      }
      return base.invoke(name, args);
    },
  };
  const src = "HOST_CALL time\nPRINT\nHOST_CALL random\nPRINT\nHALT";
  const { out, error } = await runSource(src, { host: denying });
  assertEquals(error, undefined);
  assertEquals(out + printed, "-1\n-1\n");
});

Deno.test("exit ends the run with its code through GuestExit", async () => {
  const { out, error } = await runSource(
    'PRINT_STR "bye"\nPUSH 259\nHOST_CALL exit\nPRINT_STR "no"',
  );
  assertEquals(out, "bye\n");
  assert(error instanceof GuestExit, `expected GuestExit, got ${error}`);
  assertEquals(error.exitCode, 3);
});

Deno.test("host errors other than denials propagate", async () => {
  const failing: Host = {
    invoke() {
      throw new PxosError("E_TRAP", "host exploded");
    },
  };
  const { error } = await runSource("HOST_CALL time\nHALT", { host: failing });
  assert(error instanceof PxosError);
  assertMatch(error.message, /host exploded/);
});

Deno.test("an asynchronous host is awaited", async () => {
  let out = "";
  const slow: Host = {
    invoke(_name, args) {
      return new Promise((resolve) =>
        setTimeout(() => {
          out += String(args[0]);
          resolve(null);
        }, 1)
      );
    },
  };
  const { error } = await runSource('PUSH 1\nPRINT\nPRINT_STR "two"\nHALT', { host: slow });
  assertEquals(error, undefined);
  assertEquals(out, "1\ntwo\n");
});
