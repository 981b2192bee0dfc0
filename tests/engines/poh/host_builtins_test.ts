/**
 * Host-backed built-ins for directories and the network, against a fake host: the calls they
 * make, what they return, and how denials and failures reach the program (catchable, and the
 * program goes on).
 */
import { assertEquals, assertMatch } from "../../assert.ts";
import type { Host } from "../../../src/host/host.ts";
import type { HostValue } from "../../../src/host/calls.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { runPohSource } from "../../../src/engines/poh/mod.ts";
import { PxosError } from "../../../src/errors.ts";

/** A fake host: answers from a table, records every call, optionally answers with Promises. */
function fakeHost(async: boolean) {
  const calls: string[] = [];
  let out = "";
  const answer = (name: string | number, args: readonly HostValue[]): HostValue => {
    if (name !== "console.write") calls.push(`${name}(${args.map((a) => JSON.stringify(a))})`);
    switch (name) {
      case "console.write":
        out += String(args[0]);
        return null;
      case "fs.list":
        if (args[0] === "secret") throw new PxosError("E_PERMISSION", "read denied for secret");
        if (args[0] === "missing") throw new PxosError("E_IO", "no directory missing");
        return args[0] === "empty" ? "" : "a.txt\nsub/\nz.poh\n";
      case "fs.mkdir":
      case "fs.remove":
        if (String(args[0]).startsWith("/")) {
          throw new PxosError("E_PATH", "absolute paths are refused");
        }
        return null;
      case "net.fetch":
        if (String(args[1]).includes("blocked")) {
          throw new PxosError("E_PERMISSION", "net denied for blocked.example");
        }
        if (String(args[1]).includes("down")) {
          // deno-lint-ignore no-explicit-any
          throw new PxosError("E_NET" as any, "connection refused");
        }
        if (String(args[1]).includes("garbled")) return "not a status";
        return `201\ncontent-type: text/plain\nx-echo: ${args[0]} ${args[3]}\n\nhello\nworld`;
    }
    throw new PxosError("E_TRAP", `unexpected call ${name}`);
  };
  const host: Host = {
    invoke(name, args) {
      return async ? Promise.resolve().then(() => answer(name, args)) : answer(name, args);
    },
  };
  return { host, calls, output: () => out };
}

/** A Poh `try` block around `stmt` whose handler writes `report` about the error `e`. */
function guarded(stmt: string, report: string, handler = "if error as e"): string {
  return `try this:\n  ${stmt}\n${handler}\n  Write ${report}\nend try`;
}

const TYPE = "error type of e";
const TYPE_AND_MESSAGE = 'error type of e plus ": " plus error message of e';

const PROGRAM = [
  `
Set names to list files in directory at "."
Write names
Write count of list_dir("empty")
For each n in names
  If n is "sub/" Write "directory " plus n
End
create directory at "saves/slot1"
Write make_dir("logs")
delete file at "old.txt"
Set r to fetch("https://api.example.com/x", "post", "payload", {"X-Key": "k1"})
Write r["status"]
Write r["headers"]["content-type"]
Write r["headers"]["x-echo"]
Write r["body"]
Write fetch("https://api.example.com/y")["status"]`,
  guarded(
    'Write list_dir("secret")',
    '"denied: " plus error message of e',
    'if error of type "PermissionError" as e',
  ),
  guarded('Write fetch("https://down.example.com/")', TYPE_AND_MESSAGE),
  guarded('Write list files in directory at "missing"', TYPE),
  guarded('delete file at "/etc/passwd"', TYPE),
  guarded('Write fetch("https://garbled.example.com/")', TYPE_AND_MESSAGE),
  guarded('Write fetch("https://api.example.com/", "GET", "", {"Bad\\nName": "v"})', TYPE),
  'Write "still running"\n',
].join("\n");

const EXPECTED_OUT = [
  '["a.txt", "sub/", "z.poh"]',
  "0",
  "directory sub/",
  "True",
  "201",
  "text/plain",
  "POST payload",
  "hello\nworld",
  "201",
  "denied: read denied for secret",
  "NetworkError: connection refused",
  "FileError",
  "FileError",
  "NetworkError: the host's answer to net.fetch is malformed",
  "ValueError",
  "still running",
].join("\n") + "\n";

const EXPECTED_CALLS = [
  'fs.list(".")',
  'fs.list("empty")',
  'fs.mkdir("saves/slot1")',
  'fs.mkdir("logs")',
  'fs.remove("old.txt")',
  'net.fetch("POST","https://api.example.com/x","X-Key: k1\\n","payload")',
  'net.fetch("GET","https://api.example.com/y","","")',
  'fs.list("secret")',
  'net.fetch("GET","https://down.example.com/","","")',
  'fs.list("missing")',
  'fs.remove("/etc/passwd")',
  'net.fetch("GET","https://garbled.example.com/","","")',
];

for (const engine of ["ast", "vm"] as const) {
  for (const async of [false, true]) {
    Deno.test(`poh ${engine}: directory and fetch built-ins (${async ? "async" : "sync"} host)`, async () => {
      const fake = fakeHost(async);
      await runPohSource(PROGRAM, "t.poh", fake.host, DEFAULT_LIMITS, { engine });
      assertEquals(fake.output(), EXPECTED_OUT);
      assertEquals(fake.calls, EXPECTED_CALLS);
    });
  }

  Deno.test(`poh ${engine}: an uncaught denial fails with E_PERMISSION and the Poh line`, async () => {
    const fake = fakeHost(false);
    let err: unknown;
    try {
      await runPohSource(
        'Write "a"\nWrite list_dir("secret")\nWrite "b"',
        "t.poh",
        fake.host,
        DEFAULT_LIMITS,
        {
          engine,
        },
      );
    } catch (e) {
      err = e;
    }
    assertEquals(fake.output(), "a\n");
    assertEquals((err as PxosError).code, "E_PERMISSION");
    assertMatch(
      (err as PxosError).message,
      /^t\.poh:2: PermissionError: read denied for secret\n[^]*at main \(t\.poh:2\)/,
    );
  });
}
