/**
 * `pxos boot` end to end: what it prints, the grant options, file-path escapes, limits, the audit
 * file, determinism and signatures — every run goes through the sandbox Worker.
 */
import { join } from "node:path";
import { openCartridge, packCartridge } from "../../src/archive/cartridge.ts";
import { runCli } from "../../src/cli/main.ts";
import { capturedIO } from "../../src/cli/io.ts";
import { assert, assertEquals, assertMatch } from "../assert.ts";

const encoder = new TextEncoder();

async function cli(...args: string[]) {
  const io = capturedIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** Packs a cartridge into `dir/name.pxa`; returns its path. */
async function cart(
  dir: string,
  name: string,
  manifest: Record<string, unknown>,
  files: Record<string, string>,
): Promise<string> {
  const full = { name, version: "1.0.0", pxos: ">=0.1.0", ...manifest };
  const { png } = await packCartridge([
    { path: "pxos.json", data: encoder.encode(JSON.stringify(full)) },
    ...Object.entries(files).map(([path, text]) => ({ path, data: encoder.encode(text) })),
  ]);
  const path = join(dir, `${name}.pxa`);
  await Deno.writeFile(path, png);
  return path;
}

/** A Poh program that tries each action and prints "ok …" or "no …" per line. */
function tries(actions: string[]): string {
  const body = actions.map((a) =>
    `try this:\n  ${a}\n  Write "ok"\nif error as e\n  Write "no " plus e\nend try`
  ).join("\n");
  return `Start Program\n${body}\nEnd Program\n`;
}

async function withRoot(f: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(join(root, "data"));
    await Deno.writeTextFile(join(root, "data", "a.txt"), "alpha");
    await Deno.writeTextFile(join(root, "secret.txt"), "secret");
    await f(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

const READS = [
  'Write read file at "data/a.txt"',
  'Write read file at "secret.txt"',
  'write "x" to file at "data/new.txt"',
];

Deno.test("boot prints what the cartridge asks for and grants nothing by default", async () => {
  await withRoot(async (root) => {
    const path = await cart(root, "reader", {
      entry: "main.poh",
      permissions: { read: ["./data"], clock: true },
    }, { "main.poh": tries(READS) });
    const r = await cli("boot", path, "--root", root);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stderr, /reader asks for: read \.\/data; clock/);
    assertMatch(r.stderr, /granted: nothing/);
    const lines = r.stdout.trim().split("\n");
    assertMatch(lines[0], /^no .*read is not granted/);
    assertMatch(lines[1], /^no /);
    assertMatch(lines[2], /^no .*write is not granted/);
  });
});

Deno.test("--allow-read grants the request only; write stays denied; --deny-read wins", async () => {
  await withRoot(async (root) => {
    const path = await cart(root, "reader", {
      entry: "main.poh",
      permissions: { read: ["./data"] },
    }, { "main.poh": tries(READS) });
    const granted = await cli("boot", path, "--root", root, "--allow-read");
    assertEquals(granted.stdout.trim().split("\n"), [
      "alpha",
      "ok",
      "no fs.readText: ./secret.txt refused: the read grant covers only ./data",
      "no fs.writeText: ./data/new.txt refused: write is not granted",
    ]);
    // --allow-read=. covers more than the request, but only the request is granted.
    const wide = await cli("boot", path, "--root", root, "--allow-read=.");
    assertMatch(wide.stdout, /secret\.txt refused: the read grant covers only \.\/data/);
    const denied = await cli("boot", path, "--root", root, "--yes", "--deny-read");
    assertMatch(denied.stdout, /^no fs\.readText: \.\/data\/a\.txt refused: read is not granted/);
    const elsewhere = await cli("boot", path, "--root", root, "--allow-read=./other");
    assertMatch(elsewhere.stderr, /granted: nothing/);
  });
});

Deno.test("path escapes by .., absolute paths and symlinks are refused", async () => {
  await withRoot(async (root) => {
    await Deno.symlink("/etc/hostname", join(root, "data", "out-file"));
    await Deno.symlink(root, join(root, "data", "up"));
    await Deno.writeTextFile(join(root, "data", "b.txt"), "beta");
    await Deno.symlink(join(root, "data", "b.txt"), join(root, "data", "in-link"));
    const path = await cart(root, "escape", {
      entry: "main.poh",
      permissions: { read: ["./data"], write: ["./data"] },
    }, {
      "main.poh": tries([
        'Write read file at "data/../secret.txt"',
        'Write read file at "../secret.txt"',
        'Write read file at "/etc/hostname"',
        'Write read file at "data/out-file"',
        'Write read file at "data/up/secret.txt"',
        'write "x" to file at "data/up/pwned.txt"',
        'Write read file at "data/in-link"',
      ]),
    });
    const r = await cli("boot", path, "--root", root, "--yes");
    const lines = r.stdout.trim().split("\n");
    assertMatch(lines[0], /^no .*secret\.txt refused/);
    assertMatch(lines[1], /^no .*escapes the root by "\.\."/);
    assertMatch(lines[2], /^no .*absolute path/);
    assertMatch(lines[3], /^no .*outside \.\/data through a symbolic link/);
    assertMatch(lines[4], /^no .*through a symbolic link/);
    assertMatch(lines[5], /^no .*through a symbolic link/);
    assertEquals(lines.slice(6), ["beta", "ok"]);
    assert(!(await Deno.stat(join(root, "pwned.txt")).then(() => true, () => false)));
  });
});

Deno.test("busy loops hit the timeout (exit 124) at start-up and later; fuel runs out", async () => {
  await withRoot(async (root) => {
    const startup = await cart(root, "spin", { entry: "main.pxasm" }, {
      "main.pxasm": "loop: JMP loop\n",
    });
    const later = await cart(root, "later", { entry: "main.pxasm" }, {
      "main.pxasm": "PUSH 7\nPRINT\nloop: JMP loop\n",
    });
    for (const [path, printed] of [[startup, ""], [later, "7\n"]]) {
      const started = performance.now();
      const r = await cli("boot", path, "--timeout", "300");
      const ms = performance.now() - started;
      assertEquals(r.code, 124, r.stderr);
      assertMatch(r.stderr, /E_TIMEOUT/);
      assertEquals(r.stdout, printed);
      assert(ms < 3000, `took ${Math.round(ms)} ms for a 300 ms limit`);
    }
    const fuel = await cli("boot", startup, "--fuel", "1000");
    assertEquals(fuel.code, 2);
    assertMatch(fuel.stderr, /E_FUEL/);
  });
});

Deno.test("memory caps: VM memory and the decoded cartridge, accepted at N, refused at N+1", async () => {
  await withRoot(async (root) => {
    const big = await cart(root, "bigmem", { entry: "main.pxasm" }, {
      "main.pxasm": ".memory 131072\nPUSH 1\nPRINT\nHALT\n",
    });
    assertEquals((await cli("boot", big, "--memory", "131072")).code, 0);
    const refused = await cli("boot", big, "--memory", "131071");
    assertEquals(refused.code, 2);
    assertMatch(refused.stderr, /E_MEMORY/);

    const scene = "CANVAS 8 8\nLAYER NEW bg 0\nINFO\n";
    const path = await cart(root, "files", { entry: "s.pxterm" }, { "s.pxterm": scene });
    const cartridge = await openCartridge(await Deno.readFile(path));
    const size = cartridge.archive.entries.reduce((n, e) => n + e.size, 0);
    assertEquals((await cli("boot", path, "--memory", String(size))).code, 0);
    const over = await cli("boot", path, "--memory", String(size - 1));
    assertEquals(over.code, 2);
    assertMatch(over.stderr, /E_MEMORY.*decode to \d+ bytes/);
  });
});

Deno.test("without clock and random, two runs print the same; --seed changes the sequence", async () => {
  await withRoot(async (root) => {
    const src = "HOST_CALL time\nPRINT\nHOST_CALL clock_ms\nPRINT\n" +
      "HOST_CALL random\nPRINT\nHOST_CALL random\nPRINT\nHALT\n";
    const path = await cart(root, "dice", {
      entry: "main.pxasm",
      permissions: { clock: true, random: true },
    }, { "main.pxasm": src });
    const a = await cli("boot", path);
    const b = await cli("boot", path);
    assertEquals(a.code, 0, a.stderr);
    assertEquals(a.stdout, b.stdout);
    assertEquals(a.stdout.split("\n")[0], "946684800"); // the virtual clock starts in 2000
    const seeded = await cli("boot", path, "--seed", "00ff");
    assert(seeded.stdout !== a.stdout, "a different seed must change the random numbers");
    assertEquals(seeded.stdout, (await cli("boot", path, "--seed", "00ff")).stdout);
    const real = await cli("boot", path, "--allow-clock", "--allow-random");
    assert(Number(real.stdout.split("\n")[0]) > 1_700_000_000, real.stdout);
  });
});

Deno.test("requires and the pxos range are checked at boot, one line each", async () => {
  await withRoot(async (root) => {
    const unknown = await cart(root, "needs", { entry: "s.pxterm", requires: ["quantum"] }, {
      "s.pxterm": "INFO\n",
    });
    const r = await cli("boot", unknown);
    assertEquals(r.code, 2);
    assertMatch(r.stderr, /E_RUNTIME.*requires "quantum", which this pxOS does not know/);
    const future = await cart(root, "future", { entry: "s.pxterm", pxos: ">=99.0.0" }, {
      "s.pxterm": "INFO\n",
    });
    assertMatch((await cli("boot", future)).stderr, /E_RUNTIME.*needs pxOS >=99\.0\.0/);
  });
});

Deno.test("--audit records grants, denials, limits and the outcome as JSON lines", async () => {
  await withRoot(async (root) => {
    const audit = join(root, "audit.jsonl");
    const reader = await cart(root, "reader", {
      entry: "main.poh",
      permissions: { read: ["./data"] },
    }, { "main.poh": tries(READS.slice(0, 2)) });
    await cli("boot", reader, "--root", root, "--allow-read", "--audit", audit);
    const spin = await cart(root, "spin", { entry: "main.pxasm" }, {
      "main.pxasm": "loop: JMP loop\n",
    });
    await cli("boot", spin, "--timeout", "200", "--audit", audit);
    await cli("boot", spin, "--fuel", "100", "--audit", audit);
    await cli("boot", spin, "--memory", "100", "--audit", audit);
    const entries = (await Deno.readTextFile(audit)).trim().split("\n").map((l) => JSON.parse(l));
    const find = (call: string, re: RegExp) =>
      entries.find((e) => e.call === call && re.test(`${e.target} ${e.reason}`));
    assert(find("boot.grant", /read \.\/data/), "grant");
    const ok = find("fs.readText", /data\/a\.txt/);
    assertEquals([ok?.allowed, ok?.cartridge], [true, "reader"]);
    assertEquals(find("fs.readText", /secret\.txt/)?.allowed, false);
    assertEquals(find("boot.run", /E_TIMEOUT/)?.allowed, false);
    assert(find("boot.run", /E_FUEL/), "fuel");
    assert(find("boot.run", /E_MEMORY/), "memory");
    for (const e of entries) assert(!Number.isNaN(Date.parse(e.time)), e.time);
  });
});

Deno.test("network: denied by default, a granted loopback host works, redirects to others refused", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const url = new URL(req.url);
    if (url.pathname === "/away") {
      return new Response(null, { status: 302, headers: { location: "http://localhost:1/" } });
    }
    return new Response(`hello ${req.method}`);
  });
  try {
    await withRoot(async (root) => {
      const base = `http://127.0.0.1:${server.addr.port}`;
      const path = await cart(root, "netter", {
        entry: "main.poh",
        permissions: { net: [`127.0.0.1:${server.addr.port}`] },
      }, {
        "main.poh": tries([
          `Write fetch("${base}/hi")["body"]`,
          `Write fetch("${base}/away")["body"]`,
          'Write fetch("http://127.0.0.2:1/")["body"]',
        ]),
      });
      const audit = join(root, "net.jsonl");
      const denied = await cli("boot", path, "--audit", audit);
      assertMatch(denied.stdout, /^no .*net is not granted/);
      const r = await cli("boot", path, "--allow-net", "--audit", audit);
      const lines = r.stdout.trim().split("\n");
      assertEquals(lines.slice(0, 2), ["hello GET", "ok"]);
      assertMatch(lines[2], /^no .*redirect 1.*localhost:1/);
      assertMatch(lines[3], /^no .*127\.0\.0\.2:1 matches none of the granted hosts/);
      const entries = (await Deno.readTextFile(audit)).trim().split("\n").map((l) => JSON.parse(l));
      const hops = entries.filter((e) => e.call === "net.fetch").map((e) => [e.target, e.allowed]);
      assertEquals(hops.slice(-4), [
        [`${base}/hi`, true],
        [`${base}/away`, true],
        ["http://localhost:1/", false],
        ["http://127.0.0.2:1/", false],
      ]);
    });
  } finally {
    await server.shutdown();
  }
});
