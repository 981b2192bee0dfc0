/**
 * The file and network host calls (ids 11–14) against a fake host: what reaches the shared table,
 * and how denials and failures come back to the guest as values it can test.
 */
import { PxosError, type PxosErrorCode } from "../../../src/errors.ts";
import { generatePixelvmDoc } from "../../../src/engines/pixelvm/doc.ts";
import { pixelHostCall } from "../../../src/engines/pixelvm/isa.ts";
import type { HostValue } from "../../../src/host/calls.ts";
import { createHost, type Host } from "../../../src/host/host.ts";
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { runBoth } from "./helpers.ts";

/** A fake host: answers `fs.*`/`net.fetch` from `answer`, prints via `console.write`. */
function fakeHost(
  answer: (name: string, args: readonly HostValue[]) => HostValue,
): { host: Host; calls: string[]; printed: () => string; written: Map<string, Uint8Array> } {
  const calls: string[] = [];
  const written = new Map<string, Uint8Array>();
  let printed = "";
  const host: Host = {
    invoke(name, args) {
      if (name === "console.write") {
        printed += String(args[0]);
        return null;
      }
      calls.push(`${name}(${args.map((a) => typeof a === "string" ? a : "bytes").join(",")})`);
      if (name === "fs.writeBytes") written.set(String(args[0]), args[1] as Uint8Array);
      // Answer asynchronously sometimes: engines must await either.
      const value = answer(String(name), args);
      return calls.length % 2 === 0 ? Promise.resolve(value) : value;
    },
  };
  return { host, calls, printed: () => printed, written };
}

/** `runBoth` runs the program three times (compiled, interpreted, precise) on the same host. */
const thrice = (text: string) => text.repeat(3);

const fail = (code: string) => {
  throw new PxosError(code as PxosErrorCode, `${code} from the fake host`);
};

/** A fake host for `call` that answers by the path in the first argument. */
const byPath = (
  call: string,
  answers: Record<string, () => HostValue>,
  otherwise: (path: string) => HostValue,
) =>
  fakeHost((name, args) => {
    assertEquals(name, call);
    const path = String(args[0]);
    return Object.hasOwn(answers, path) ? answers[path]() : otherwise(path);
  });

/** Guest data: the names used below, each as `label: .string` so `end_x - x` is its length. */
const DATA = `.data
ok: .string "saves/a.bin"
ok_end:
secret: .string "/etc/secret"
secret_end:
missing: .string "saves/none"
missing_end:
bad: .string "../escape"
bad_end:
buf: .zero 32
.code
`;

/**
 * Calls `call` (`fs_read` or `http_get`: name, length, buffer, max) for `name` into buf, prints
 * the result n, then the bytes stored when n > 0.
 */
const fetchInto = (call: string) => (name: string, max: number) =>
  `PUSH ${name}
PUSH ${name}_end - ${name}
PUSH buf
PUSH ${max}
HOST_CALL ${call}
DUP
PRINT
DUP
PUSH 0
GT
JZ skip_${name}_${max}
PUSH buf
SWAP
HOST_CALL write_str
PUSH 10
HOST_CALL write_char
PUSH 0
skip_${name}_${max}: POP
`;

/** `fs_read` of `name` into buf (max 32 by default), as {@link fetchInto} prints it. */
const read = (name: string, max = 32) => fetchInto("fs_read")(name, max);

Deno.test("fs_read stores a host file in memory; -1 denied, -2 missing or bad path", async () => {
  const fake = byPath("fs.readBytes", {
    "saves/a.bin": () => new TextEncoder().encode("pixel bytes"),
    "/etc/secret": () => fail("E_PERMISSION"),
    "saves/none": () => fail("E_IO"),
  }, () => fail("E_PATH"));
  const src = DATA + read("ok") + read("ok", 5) + read("secret") + read("missing") + read("bad") +
    'PRINT_STR "still running"\nHALT';
  const o = await runBoth(src, { host: fake.host });
  assertEquals(o.error, undefined);
  assertEquals(fake.printed(), thrice("11\npixel bytes\n5\npixel\n-1\n-2\n-2\nstill running\n"));
  assertEquals(fake.calls.slice(0, 5), [
    "fs.readBytes(saves/a.bin)",
    "fs.readBytes(saves/a.bin)",
    "fs.readBytes(/etc/secret)",
    "fs.readBytes(saves/none)",
    "fs.readBytes(../escape)",
  ]);
});

Deno.test("fs_write hands the host a copy of memory; 0 done, -1 denied, -2 error", async () => {
  const fake = byPath("fs.writeBytes", {
    "/etc/secret": () => fail("E_PERMISSION"),
    "saves/none": () => fail("E_IO"),
  }, () => null);
  const write = (name: string) =>
    `PUSH ${name}\nPUSH ${name}_end - ${name}\nPUSH ok\nPUSH 5\nHOST_CALL fs_write\nPRINT\n`;
  const src = DATA + write("ok") + write("secret") + write("missing") +
    "PUSH 88\nPUSH ok\nSTOREB\n" + 'PRINT_STR "after"\nHALT';
  const o = await runBoth(src, { host: fake.host });
  assertEquals(o.error, undefined);
  assertEquals(fake.printed(), thrice("0\n-1\n-2\nafter\n"));
  // The guest changed memory after writing: the host's bytes must not change with it.
  assertEquals(new TextDecoder().decode(fake.written.get("saves/a.bin")), "saves");
});

Deno.test("fs_exists: 1, 0, -1 denied, -2 for a refused path", async () => {
  const fake = byPath("fs.exists", {
    "/etc/secret": () => fail("E_PERMISSION"),
    "../escape": () => fail("E_PATH"),
  }, (path) => path === "saves/a.bin");
  const exists = (name: string) =>
    `PUSH ${name}\nPUSH ${name}_end - ${name}\nHOST_CALL fs_exists\nPRINT\n`;
  const src = DATA + ["ok", "missing", "secret", "bad"].map(exists).join("") + "HALT";
  const o = await runBoth(src, { host: fake.host });
  assertEquals(o.error, undefined);
  assertEquals(fake.printed(), thrice("1\n0\n-1\n-2\n"));
});

const HTTP = `.data
site: .string "https://api.example.com/v1"
site_end:
blocked: .string "https://evil.example.net/"
blocked_end:
down: .string "https://down.example.com/"
down_end:
buf: .zero 64
.code
`;

const get = fetchInto("http_get");

Deno.test("http_get stores the host's answer; -1 denied, -3 network error", async () => {
  const answer = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nhello";
  const fake = fakeHost((name, args) => {
    assertEquals(name, "net.fetch");
    assertEquals([args[0], args[2], args[3]], ["GET", "", ""]);
    const url = String(args[1]);
    if (url.includes("evil")) return fail("E_PERMISSION");
    if (url.includes("down")) return fail("E_NET");
    return answer;
  });
  const src = HTTP + get("site", 64) + get("site", 15) + get("blocked", 64) + get("down", 64) +
    'PRINT_STR "done"\nHALT';
  const o = await runBoth(src, { host: fake.host });
  assertEquals(o.error, undefined);
  assertEquals(
    fake.printed(),
    thrice(`${answer.length}\n${answer}\n15\nHTTP/1.1 200 OK\n-1\n-3\ndone\n`),
  );
  assertEquals(fake.calls[0], "net.fetch(GET,https://api.example.com/v1,,)");
});

Deno.test("the minimal host denies files and network: the guest sees -1 and goes on", async () => {
  let out = "";
  const host = createHost({ stdout: (t) => (out += t) });
  const src = DATA + read("ok") +
    "PUSH ok\nPUSH ok_end - ok\nPUSH ok\nPUSH 3\nHOST_CALL fs_write\nPRINT\n" +
    "PUSH ok\nPUSH ok_end - ok\nHOST_CALL fs_exists\nPRINT\n" +
    "PUSH ok\nPUSH ok_end - ok\nPUSH buf\nPUSH 8\nHOST_CALL http_get\nPRINT\n" +
    'PRINT_STR "carried on"\nHALT';
  const o = await runBoth(src, { host });
  assertEquals(o.error, undefined);
  assertEquals(out, thrice("-1\n-1\n-1\n-1\ncarried on\n"));
});

Deno.test("file and network calls: other host errors end the run; bad ranges trap", async () => {
  const exploding = fakeHost(() => fail("E_TRAP"));
  const o = await runBoth(DATA + read("ok"), { host: exploding.host });
  assert(o.error instanceof PxosError);
  assertMatch(o.error.message, /E_TRAP from the fake host/);
  const quiet = fakeHost(() => new Uint8Array(100));
  const outside = await runBoth(DATA + "PUSH 65530\nPUSH 40\nHOST_CALL fs_exists\nHALT", {
    host: quiet.host,
  });
  assert(outside.error instanceof PxosError && outside.error.code === "E_TRAP");
  assertMatch(outside.error.message, /memory range 65530\+40 is outside memory/);
  assertEquals(quiet.calls, []); // refused before the host was asked
  const store = await runBoth(DATA + "PUSH ok\nPUSH 3\nPUSH 65530\nPUSH 50\nHOST_CALL fs_read", {
    host: quiet.host,
  });
  assert(store.error instanceof PxosError && store.error.code === "E_TRAP");
});

Deno.test("ids 11–14 are in the ISA table, the assembler and the generated doc page", () => {
  const doc = generatePixelvmDoc();
  for (
    const [id, name, call] of [
      [11, "fs_read", "fs.readBytes"],
      [12, "fs_write", "fs.writeBytes"],
      [13, "fs_exists", "fs.exists"],
      [14, "http_get", "net.fetch"],
    ] as const
  ) {
    assertEquals(pixelHostCall(name)?.id, id);
    assertEquals(pixelHostCall(id)?.hostCall, call);
    assertMatch(doc, new RegExp(`\\| ${id} +\\| \`${name}\` +\\| \`${call.replace(".", "\\.")}\``));
  }
});
