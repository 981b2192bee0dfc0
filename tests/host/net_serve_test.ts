/**
 * `net.listen`, `net.accept`, `net.respond` and `net.close` through the host, with a real client
 * on 127.0.0.1: the grant decides the listen, each decision is audited, requests and answers
 * cross in the table's text form, and closing answers whatever still waits.
 */
import type { AuditEntry } from "../../src/host/audit.ts";
import { NO_GRANT } from "../../src/host/grant.ts";
import { createHost, type Host } from "../../src/host/host.ts";
import { assert, assertEquals, assertMatch, assertPxosError } from "../assert.ts";

/** A loopback port that was free a moment ago. */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

function hostFor(net: string[], audit: AuditEntry[], signal?: AbortSignal): Host {
  return createHost({
    stdout: () => {},
    grant: { ...NO_GRANT, net },
    audit: (e) => audit.push(e),
    signal,
  });
}

Deno.test("net.listen without a net grant is refused and audited", async () => {
  const audit: AuditEntry[] = [];
  const host = hostFor([], audit);
  const port = freePort();
  await assertPxosError(
    () => Promise.resolve(host.invoke("net.listen", [`127.0.0.1:${port}`])),
    "E_PERMISSION",
    /net is not granted/,
  );
  assertEquals(audit.map((e) => [e.call, e.target, e.allowed]), [
    ["net.listen", `127.0.0.1:${port}`, false],
  ]);
});

Deno.test("net.listen refuses a port the grant does not name, and any non-loopback host", async () => {
  const audit: AuditEntry[] = [];
  const port = freePort();
  const host = hostFor([`127.0.0.1:${port}`, "0.0.0.0", "example.com"], audit);
  await assertPxosError(
    () => Promise.resolve(host.invoke("net.listen", [`127.0.0.1:${port + 1}`])),
    "E_PERMISSION",
    /matches none of the granted hosts/,
  );
  await assertPxosError(
    () => Promise.resolve(host.invoke("net.listen", ["0.0.0.0:8080"])),
    "E_PERMISSION",
    /expected a loopback address/,
  );
  await assertPxosError(
    () => Promise.resolve(host.invoke("net.listen", ["example.com:80"])),
    "E_PERMISSION",
    /loopback/,
  );
  assertEquals(audit.map((e) => e.allowed), [false, false, false]);
});

Deno.test("a granted server accepts a real request, answers it, and closes", async () => {
  const audit: AuditEntry[] = [];
  const port = freePort();
  const host = hostFor([`127.0.0.1:${port}`], audit);
  const id = await host.invoke("net.listen", [`127.0.0.1:${port}`]);
  const client = fetch(`http://127.0.0.1:${port}/notes/7?x=1`, {
    method: "POST",
    headers: { "x-test": "yes" },
    body: "hello",
  });
  const text = String(await host.invoke("net.accept", [id]));
  const [requestId, requestLine, ...rest] = text.split("\n");
  assertEquals(requestLine, "POST /notes/7?x=1");
  assert(rest.includes("x-test: yes"), text);
  assertEquals(rest[rest.length - 1], "hello");
  await host.invoke("net.respond", [Number(requestId), 201, "Content-Type: text/plain\n", "made"]);
  const res = await client;
  assertEquals([res.status, res.headers.get("content-type"), await res.text()], [
    201,
    "text/plain",
    "made",
  ]);
  await assertPxosError(
    () => Promise.resolve(host.invoke("net.respond", [Number(requestId), 200, "", "again"])),
    "E_NET",
    /no request/,
  );
  await host.invoke("net.close", [id]);
  assertEquals(await host.invoke("net.accept", [id]), null, "a closed server accepts nothing");
  assertEquals(audit.map((e) => [e.call, e.allowed]), [
    ["net.listen", true],
    ["net.accept", true],
  ]);
  assertMatch(audit[1].target, /^POST \/notes\/7/);
});

Deno.test("aborting the run's signal closes the server and answers waiting requests 503", async () => {
  const port = freePort();
  const stop = new AbortController();
  const host = hostFor([`127.0.0.1:${port}`], [], stop.signal);
  const id = await host.invoke("net.listen", [`127.0.0.1:${port}`]);
  const client = fetch(`http://127.0.0.1:${port}/slow`);
  const accepted = String(await host.invoke("net.accept", [id]));
  assertMatch(accepted, /GET \/slow/);
  const waiting = host.invoke("net.accept", [id]);
  stop.abort();
  assertEquals(await waiting, null);
  const res = await client;
  assertEquals(res.status, 503);
  await res.body?.cancel();
  await host.invoke("net.close", [id]);
});

Deno.test("net.respond checks the status it is given", async () => {
  const port = freePort();
  const host = hostFor([`127.0.0.1:${port}`], []);
  const id = await host.invoke("net.listen", [`127.0.0.1:${port}`]);
  const client = fetch(`http://127.0.0.1:${port}/`);
  const requestId = Number(String(await host.invoke("net.accept", [id])).split("\n")[0]);
  await assertPxosError(
    () => Promise.resolve(host.invoke("net.respond", [requestId, 99, "", ""])),
    "E_NET",
    /status 200–599/,
  );
  await host.invoke("net.respond", [requestId, 200, "", "ok"]);
  assertEquals(await (await client).text(), "ok");
  await host.invoke("net.close", [id]);
});

Deno.test("a request body over the byte cap is answered 413 and never reaches the guest", async () => {
  const port = freePort();
  const host = createHost({
    stdout: () => {},
    grant: { ...NO_GRANT, net: [`127.0.0.1:${port}`] },
    maxBytes: 16,
  });
  const id = await host.invoke("net.listen", [`127.0.0.1:${port}`]);
  const big = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "x".repeat(17) });
  assertEquals([big.status, await big.text()], [413, "too large\n"]);
  const small = fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "x".repeat(16) });
  const text = String(await host.invoke("net.accept", [id]));
  assert(text.endsWith("\n\n" + "x".repeat(16)), text);
  await host.invoke("net.respond", [Number(text.split("\n")[0]), 204, "", "ignored"]);
  const res = await small;
  assertEquals([res.status, await res.text()], [204, ""]);
  await host.invoke("net.close", [id]);
});
