/**
 * The poh-web example booted the way `pxos boot` boots it: in the sandbox Worker, whose Deno
 * permissions equal the grant, with the manifest asking for `net` on a loopback port and the
 * grant allowing exactly that. A real client talks to it; the run's deadline closes the server.
 */
import { bootSandboxed } from "../../src/boot/sandbox.ts";
import type { AuditEntry } from "../../src/host/audit.ts";
import { NO_GRANT } from "../../src/host/grant.ts";
import { PxosError } from "../../src/errors.ts";
import { assert, assertEquals } from "../assert.ts";
import { makeCartridge } from "./helpers.ts";

const example = new URL("../../examples/poh-web/", import.meta.url);

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const state: { outcome: unknown } = { outcome: undefined };

async function fetchWhenUp(url: string, init?: RequestInit): Promise<Response> {
  for (let i = 0;; i++) {
    try {
      return await fetch(url, init);
    } catch (e) {
      if (i > 2400) throw new Error(`never came up: ${String(e)}; run: ${String(state.outcome)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

Deno.test("the poh-web example serves a real client from the sandbox with its net grant", async () => {
  const port = freePort();
  const source = (await Deno.readTextFile(new URL("main.poh", example)))
    .replaceAll("8080", String(port));
  const manifest = JSON.parse(await Deno.readTextFile(new URL("pxos.json", example)));
  assertEquals(manifest.permissions, { net: ["127.0.0.1:8080"] }, "the example asks for its port");
  const cart = await makeCartridge({
    ...manifest,
    permissions: { net: [`127.0.0.1:${port}`] },
  }, { "main.poh": source });
  let out = "";
  const audit: AuditEntry[] = [];
  const run = bootSandboxed(cart, {
    stdout: (t) => (out += t),
    grant: { ...NO_GRANT, net: [`127.0.0.1:${port}`] },
    audit: (e) => audit.push(e),
    limitCaps: { timeoutMs: 4000 },
  });
  const ended = run.then((r) => (state.outcome = r), (e) => (state.outcome = e));
  const base = `http://127.0.0.1:${port}`;
  const page = await fetchWhenUp(`${base}/`);
  assertEquals([page.status, await page.text()], [
    200,
    "<h1>Hello from PohLang</h1><p>visit 1</p>",
  ]);
  const added = await fetch(`${base}/api/notes`, { method: "POST", body: "walk" });
  assertEquals([added.status, await added.text()], [201, '{"added":"walk"}']);
  const notes = await fetch(`${base}/api/notes`);
  assertEquals(await notes.json(), { notes: ["buy milk", "walk"], count: 2 });
  const missing = await fetch(`${base}/api/notes/7`);
  assertEquals([missing.status, await missing.text()], [404, '{"error":"no note 7"}']);
  await ended;
  // The deadline closes the server; the program then ends (or is stopped at its deadline).
  const outcome = state.outcome;
  if (outcome instanceof PxosError) assertEquals(outcome.code, "E_TIMEOUT");
  else assertEquals((outcome as { exitCode: number }).exitCode, 0);
  assert(out.startsWith(`serving on http://127.0.0.1:${port}\n`), out);
  const listens = audit.filter((e) => e.call === "net.listen");
  assertEquals(listens.map((e) => [e.target, e.allowed]), [[`127.0.0.1:${port}`, true]]);
  assertEquals(audit.filter((e) => e.call === "net.accept").length, 4);
});
