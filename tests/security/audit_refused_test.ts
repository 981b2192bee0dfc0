/**
 * Attack (issue 10 §6): `net.fetch` with a refused method (`TRACE`, `CONNECT`, garbage) to an
 * ungranted host returned early and left no audit line. Stopped by the host's I/O layer
 * (`src/host/io_calls.ts`), which audits every permission-checked call that ends before a
 * decision was recorded; `random.bytes` with a refused count is audited the same way.
 */
import { join } from "node:path";
import type { AuditEntry } from "../../src/host/audit.ts";
import { type Grant, NO_GRANT } from "../../src/host/grant.ts";
import { createHost } from "../../src/host/host.ts";
import type { PxosErrorCode } from "../../src/errors.ts";
import type { HostValue } from "../../src/host/calls.ts";
import { assertEquals, assertMatch, assertPxosError } from "../assert.ts";
import { inTempDir, pohAttempts, pxos, readAudit, writeCart } from "./in_process.ts";

function auditedHost(grant: Grant, root?: string): {
  call: (name: string, ...args: HostValue[]) => Promise<HostValue>;
  audit: AuditEntry[];
} {
  const audit: AuditEntry[] = [];
  const host = createHost({
    stdout: () => {},
    cartridge: "audit",
    grant,
    root,
    audit: (e) => audit.push(e),
  });
  return { call: (name, ...args) => Promise.resolve(host.invoke(name, args)), audit };
}

Deno.test("security: net.fetch with a refused method leaves exactly one audit line, granted host or not", async () => {
  const methods = ["TRACE", "CONNECT", "track", "GE T", "GET\r\nX: y", "\u0000"];
  for (const grant of [NO_GRANT, { ...NO_GRANT, net: ["127.0.0.1:9"] }]) {
    for (const method of methods) {
      const { call, audit } = auditedHost(grant);
      await assertPxosError(
        () => call("net.fetch", method, "http://127.0.0.1:9/x", "", ""),
        "E_NET",
        /expected an HTTP method/,
      );
      assertEquals(audit.length, 1, `${JSON.stringify(method)}: ${JSON.stringify(audit)}`);
      assertEquals([audit[0].call, audit[0].target, audit[0].allowed], [
        "net.fetch",
        "http://127.0.0.1:9/x",
        false,
      ]);
      assertMatch(audit[0].reason, /expected an HTTP method/);
    }
  }
});

Deno.test("security: every other early refusal of a permission-checked call is audited once", async () => {
  const cases: [string, HostValue[], PxosErrorCode, RegExp][] = [
    ["net.fetch", ["GET", "http://127.0.0.1:9/", "no colon here", ""], "E_NET", /header line/],
    ["net.fetch", ["GET", "ftp://127.0.0.1/", "", ""], "E_PERMISSION", /http/],
    ["net.fetch", ["GET", "http://u:p@127.0.0.1:9/", "", ""], "E_PERMISSION", /user|password/],
    ["net.fetch", ["GET", "http://127.0.0.2:9/", "", ""], "E_PERMISSION", /granted/],
    ["fs.readText", ["../etc/passwd"], "E_PERMISSION", /escapes the root/],
    ["fs.writeText", ["/abs", "x"], "E_PERMISSION", /absolute/],
    ["fs.list", ["data"], "E_PERMISSION", /no root directory/],
    ["random.bytes", [-1], "E_TRAP", /expected a count/],
    ["random.bytes", [1e9], "E_TRAP", /expected a count/],
  ];
  const grant = { ...NO_GRANT, read: ["data"], net: ["127.0.0.1:9"] };
  for (const [name, args, code, reason] of cases) {
    // Without a root for the "no root" case; the others are refused before a root is used.
    const { call, audit } = auditedHost(grant, /no root/.test(reason.source) ? undefined : "/");
    await assertPxosError(() => call(name, ...args), code, reason);
    assertEquals(audit.length, 1, `${name} ${JSON.stringify(args)}: ${JSON.stringify(audit)}`);
    assertEquals([audit[0].call, audit[0].allowed], [name, false]);
    assertMatch(audit[0].reason, reason);
  }
});

Deno.test("security: a booted cartridge fetching with TRACE/CONNECT leaves one refused line each in --audit", async () => {
  await inTempDir(async (dir) => {
    const cart = await writeCart(join(dir, "tracer.pxa"), { entry: "main.poh" }, {
      "main.poh": pohAttempts([
        'Write fetch("http://127.0.0.1:9/a", "TRACE")',
        'Write fetch("http://127.0.0.1:9/b", "CONNECT")',
        'Write fetch("http://127.0.0.1:9/c", "Garbage")',
      ]),
    });
    const audit = join(dir, "audit.jsonl");
    const r = await pxos("boot", cart, "--audit", audit);
    assertEquals(r.code, 0, r.stderr);
    for (const line of r.stdout.trim().split("\n")) {
      assertMatch(line, /^no .*expected an HTTP method/);
    }
    const net = (await readAudit(audit)).filter((e) => e.call === "net.fetch");
    assertEquals(net.map((e) => [e.target, e.allowed]), [
      ["http://127.0.0.1:9/a", false],
      ["http://127.0.0.1:9/b", false],
      ["http://127.0.0.1:9/c", false],
    ]);
    for (const e of net) assertMatch(e.reason, /expected an HTTP method/);
  });
});
