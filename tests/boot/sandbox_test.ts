/**
 * Layer 2: the sandbox Worker's Deno permissions equal the grant. A deliberately misbehaving
 * engine calls Deno directly (bypassing the host) and must be refused everything outside its
 * grant, while what is granted works (so the test can fail).
 */
import { join } from "node:path";
import { bootSandboxed, type SandboxOptions } from "../../src/boot/sandbox.ts";
import { workerPermissions } from "../../src/boot/sandbox_permissions.ts";
import type { AuditEntry } from "../../src/host/audit.ts";
import { realRoot } from "../../src/host/fs_access.ts";
import { type Grant, NO_GRANT } from "../../src/host/grant.ts";
import { assert, assertEquals, assertMatch, assertPxosError } from "../assert.ts";
import { makeCartridge, ROGUE_ENGINE } from "./helpers.ts";

async function rogue(
  commands: string[],
  grant: Grant,
  root: string,
  extra: Partial<SandboxOptions> = {},
) {
  const cart = await makeCartridge({ entry: "main.rogue" }, { "main.rogue": commands.join("\n") });
  let out = "";
  const audit: AuditEntry[] = [];
  const result = await bootSandboxed(cart, {
    stdout: (t) => (out += t),
    grant,
    root,
    engineModules: [ROGUE_ENGINE],
    audit: (e) => audit.push(e),
    ...extra,
  });
  // One line per command, in order: "command: ok value" or "command: ErrorName".
  const lines = out.trim().split("\n").map((l) => l.slice(l.indexOf(":") + 2));
  return { result, lines, audit };
}

Deno.test("workerPermissions spells out all eight keys and nothing beyond the grant", () => {
  const p = workerPermissions(
    { ...NO_GRANT, read: ["data"], write: ["saves"], net: ["*.example.com:443"] },
    "/r",
    new URL("file:///x/cli.ts"),
  );
  assertEquals(Object.keys(p).sort(), [
    "env",
    "ffi",
    "import",
    "net",
    "read",
    "run",
    "sys",
    "write",
  ]);
  assertEquals(p.read, ["/r/data", "/r/saves"]);
  assertEquals(p.write, ["/r/saves"]);
  assertEquals(p.net, ["*.example.com:443"]);
  for (const key of ["env", "run", "ffi", "sys", "import"] as const) assertEquals(p[key], false);
  const remote = workerPermissions(NO_GRANT, "/r", new URL("https://jsr.io/@pxos/core/cli.ts"));
  assertEquals(remote.import, ["jsr.io"]);
  assertEquals(remote.read, false);
});

Deno.test("the Worker cannot reach outside its grant by calling Deno directly", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(tmp, "data"));
    await Deno.writeTextFile(join(tmp, "data", "ok.txt"), "granted file");
    await Deno.writeTextFile(join(tmp, "secret.txt"), "secret");
    const root = await realRoot(tmp);
    const grant = { ...NO_GRANT, read: ["data"] };
    const { lines, result } = await rogue(
      [
        `read ${join(root, "data", "ok.txt")}`,
        `read ${join(root, "secret.txt")}`,
        "read /etc/hostname",
        `write ${join(root, "data", "w.txt")}`,
        "fetch http://127.0.0.1:12345/",
        "env HOME",
        "run true",
        "ffi libc.so.6",
        "sys",
        "import https://example.com/x.js",
      ],
      grant,
      root,
    );
    assertEquals(result.exitCode, 0);
    // Inside the grant works (the sandbox is not simply broken); everything else is refused.
    assertEquals(lines[0], "ok granted file");
    assertEquals(lines.length, 10);
    for (const line of lines.slice(1)) {
      assertMatch(line, /^(NotCapable|TypeError) Requires \w+ access/);
    }
    assert(!(await Deno.stat(join(root, "data", "w.txt")).then(() => true, () => false)));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("permission escalation from the Worker is refused", async () => {
  const tmp = await realRoot(await Deno.makeTempDir());
  try {
    const { lines } = await rogue(["request read", "request net", "nested", "read /etc/hostname"], {
      ...NO_GRANT,
      read: [""],
    }, tmp);
    assertEquals(lines[0], "ok denied");
    assertEquals(lines[1], "ok denied");
    assert(lines[2] !== "ok escalated", `nested worker escalated: ${lines[2]}`);
    assertMatch(lines[3], /^NotCapable/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("a granted host is reachable from the Worker, others are not", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("hi"),
  );
  try {
    const port = server.addr.port;
    const grant = { ...NO_GRANT, net: [`127.0.0.1:${port}`] };
    const { lines } = await rogue(
      [
        `fetch http://127.0.0.1:${port}/`,
        `fetch http://127.0.0.1:${port + 1 === 65536 ? 1 : port + 1}/`,
      ],
      grant,
      "/nonexistent",
    );
    assertEquals(lines[0], "ok 200");
    assertMatch(lines[1], /^NotCapable Requires net access/);
  } finally {
    await server.shutdown();
  }
});

Deno.test("sandbox audits the outcome of the run", async () => {
  const { audit } = await rogue(["sys"], NO_GRANT, "/nonexistent");
  const last = audit.at(-1)!;
  assertEquals([last.call, last.allowed, last.target], ["boot.run", true, "main.rogue"]);
  assertMatch(last.reason, /exit code 0/);
});

Deno.test("a guest error inside the Worker comes back as a PxosError", async () => {
  const cart = await makeCartridge({ entry: "main.pxasm" }, {
    "main.pxasm": "PUSH 1\nPUSH 0\nDIV\nHALT\n",
  });
  await assertPxosError(() => bootSandboxed(cart, { stdout: () => {} }), "E_TRAP");
});

/** Runs the hang fixture in its own process; resolves to its status, stderr and elapsed ms. */
async function hang(mode: "load" | "later", timeoutMs: number) {
  const script = new URL("./fixtures/hang_boot.ts", import.meta.url).pathname;
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--unstable-worker-options",
      "--allow-read",
      "--allow-env",
      script,
      mode,
      String(timeoutMs),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
    ms: performance.now() - started,
  };
}

for (const mode of ["load", "later"] as const) {
  Deno.test(`a guest that never yields (${mode === "load" ? "at start-up" : "after running a while"}) ends the process with 124 in bound`, async () => {
    const r = await hang(mode, 300);
    assertEquals(r.code, 124, r.stderr);
    assertMatch(r.stderr, /^E_TIMEOUT .*did not yield within its 300 ms/);
    if (mode === "later") assertMatch(r.stdout, /^sys: /); // it ran and printed before spinning
    // Deadline 300 ms + 500 ms grace, plus Deno and Worker start-up on a loaded CI machine.
    assert(r.ms < 6000, `took ${Math.round(r.ms)} ms`);
  });
}

Deno.test("a Deno call refused inside the Worker ends the run and is audited", async () => {
  const cart = await makeCartridge({ entry: "main.rogue" }, {
    "main.rogue": "!read /etc/hostname\n",
  });
  const audit: AuditEntry[] = [];
  await assertPxosError(
    () =>
      bootSandboxed(cart, {
        stdout: () => {},
        engineModules: [ROGUE_ENGINE],
        audit: (e) => audit.push(e),
      }),
    "E_TRAP",
    /NotCapable: Requires read access to "\/etc\/hostname"/,
  );
  const last = audit.at(-1)!;
  assertEquals([last.call, last.allowed], ["boot.run", false]);
  assertMatch(last.reason, /^E_TRAP: NotCapable: Requires read access/);
});
