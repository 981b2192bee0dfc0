/**
 * The sandbox process started before `pxos boot` has decided (`sandbox_speculation.ts`): the plan
 * reaches it over its socket and nothing else runs a guest; without a plan it ends having run
 * nothing; a plan that needs another process (a different heap) gets one; and its Worker, started
 * early, is used only when its permissions are the plan's.
 */
import { join } from "node:path";
import { packCartridge } from "../../src/archive/cartridge.ts";
import { NO_GRANT } from "../../src/host/grant.ts";
import {
  prestartPlannedWorker,
  prestartSandboxWorker,
  SANDBOX_WORKER_URL,
} from "../../src/boot/sandbox_prestart.ts";
import { workerPermissions } from "../../src/boot/sandbox_permissions.ts";
import { assertEquals, assertMatch } from "../assert.ts";
import { makeCartridge } from "../boot/helpers.ts";

const PROGRAM = { "m.pxasm": "PUSH 42\nPRINT\nHALT\n" };

const repo = new URL("../../", import.meta.url);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function cartIn(dir: string): Promise<{ path: string; digest: string }> {
  const { png } = await packCartridge([
    { path: "pxos.json", data: encoder.encode('{"name":"s","version":"1.0.0","entry":"m.pxasm"}') },
    { path: "m.pxasm", data: encoder.encode("PUSH 42\nPRINT\nHALT\n") },
  ]);
  const path = join(dir, "s.pxa");
  await Deno.writeFile(path, png);
  const { openCartridge } = await import("../../src/archive/cartridge.ts");
  const { toHex } = await import("../../src/archive/hash.ts");
  return { path, digest: toHex((await openCartridge(png)).archive.digest) };
}

/** Runs one scenario of `fixtures/plan_channel_driver.ts` (with the net permission sockets need). */
async function scenario(name: string, ...args: string[]): Promise<Record<string, unknown>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("fixtures/plan_channel_driver.ts", import.meta.url).pathname,
      name,
      ...args,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 0, decoder.decode(out.stderr));
  return JSON.parse(decoder.decode(out.stdout));
}

Deno.test("plan channel: what pxos boot sends is what the child reads", async () => {
  assertEquals(await scenario("roundtrip"), { sent: true, same: true });
});

Deno.test("plan channel: no plan when pxos boot ends first, or the socket is gone", async () => {
  assertEquals(await scenario("closed"), { afterClose: null, socketGone: null, orphanSent: false });
});

Deno.test("plan channel: the child's report comes back on the plan's connection", async () => {
  assertEquals(await scenario("report"), {
    sent: true,
    got: true,
    report: { code: 3, out: 10, err: 2 },
  });
  assertEquals(await scenario("no-report"), { sent: true, got: true, report: null });
});

Deno.test("a sandbox process killed before its guest ended sends no report", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { path, digest } = await cartIn(dir);
    const r = await scenario("child-killed", path, digest, await Deno.realPath(dir));
    assertEquals(r, { sent: true, signal: "SIGKILL", report: null });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The child's report says its exit code and exactly the bytes it wrote. */
function assertReported(r: Record<string, unknown>): void {
  const written = r.written as { out: number; err: number };
  assertEquals(r.report, { code: r.code, out: written.out, err: written.err });
}

Deno.test("plan channel: the socket's folder is private and goes away", async () => {
  assertEquals(await scenario("private"), { mode: "700", exists: false });
});

Deno.test("the early sandbox process runs its guest only once the plan has come", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { path, digest } = await cartIn(dir);
    const r = await scenario("child-plan", path, digest, await Deno.realPath(dir));
    assertEquals(r.stdout, "42\n", String(r.stderr));
    assertEquals([r.sent, r.code], [true, 0]);
    assertReported(r);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * Runs `name` (a plan sent before the child opened its cartridge) with the cartridge's digest,
 * which must run the guest, then with another digest, which must run nothing.
 */
async function runsOnlyItsDigest(name: string): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const { path, digest } = await cartIn(dir);
    const r = await scenario(name, path, digest, await Deno.realPath(dir));
    assertEquals(r.stdout, "42\n", String(r.stderr));
    assertEquals([r.sent, r.code], [true, 0]);
    // A Worker started from the plan still runs nothing for another cartridge.
    const other = await scenario(name, path, "00".repeat(32), await Deno.realPath(dir));
    assertEquals(other.stdout, "");
    assertMatch(String(other.stderr), /E_ARCHIVE_HASH/);
    assertEquals(other.code, 2);
    // No report after an error: `pxos boot` waits for the process's end (`countsAreWhole`).
    assertEquals(other.report, null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("the early sandbox process runs a plan that came before its cartridge was open", () =>
  runsOnlyItsDigest("child-plan-first"));

Deno.test("the early sandbox process runs a plan that carries the payload, and only its digest", () =>
  runsOnlyItsDigest("child-plan-payload"));

Deno.test("the early sandbox process ends, having run nothing, when no plan comes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { path, digest } = await cartIn(dir);
    const r = await scenario("child-none", path, digest, await Deno.realPath(dir));
    assertEquals([r.stdout, r.stderr], ["", ""]);
    assertEquals(r.code !== 0, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the early sandbox process refuses a plan for another cartridge", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { path } = await cartIn(dir);
    const r = await scenario("child-plan", path, "00".repeat(32), await Deno.realPath(dir));
    assertEquals(r.stdout, "");
    assertMatch(String(r.stderr), /E_ARCHIVE_HASH/);
    assertEquals(r.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pxos boot whose plan needs another heap starts another sandbox process", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { path } = await cartIn(dir);
    for (const extra of [[], ["--memory", "200000000", "--yes"]]) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", new URL("cli.ts", repo).pathname, "boot", path, ...extra],
        cwd: dir,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      assertEquals(decoder.decode(out.stdout), "42\n", decoder.decode(out.stderr));
      assertEquals(out.code, 0, extra.join(" "));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an early Worker is handed over only for the permissions it was started with", async () => {
  const empty = workerPermissions(NO_GRANT, "/", SANDBOX_WORKER_URL);
  const early = await prestartSandboxWorker(await makeCartridge({ entry: "m.pxasm" }, PROGRAM));
  const claimed = early?.claim(empty);
  assertEquals(claimed !== undefined, true);
  assertEquals(early?.claim(empty), undefined); // once
  claimed?.worker.terminate();

  const other = await prestartSandboxWorker(await makeCartridge({ entry: "m.pxasm" }, PROGRAM));
  const reading = workerPermissions({ ...NO_GRANT, read: ["data"] }, "/home/x", SANDBOX_WORKER_URL);
  assertEquals(other?.claim(reading), undefined);
  other?.discard();
});

Deno.test("no early Worker for a cartridge that asks for files or hosts", async () => {
  const asks = await makeCartridge(
    { entry: "m.pxasm", permissions: { read: ["data"] } },
    PROGRAM,
  );
  assertEquals(await prestartSandboxWorker(asks), undefined);
});

Deno.test("a Worker started from the plan has the plan's permissions, and none for Python", () => {
  const grant = { ...NO_GRANT, read: ["data"] };
  const cartridge = { name: "s", entry: "m.pxasm", engine: null };
  const early = prestartPlannedWorker({ grant, root: "/home/x", cartridge });
  assertEquals(early?.claim(workerPermissions(NO_GRANT, "/", SANDBOX_WORKER_URL)), undefined);
  const again = prestartPlannedWorker({ grant, root: "/home/x", cartridge });
  const claimed = again?.claim(workerPermissions(grant, "/home/x", SANDBOX_WORKER_URL));
  assertEquals(claimed?.pythonPrepared, false);
  claimed?.worker.terminate();
  const python = { name: "p", entry: "main.py", engine: null };
  assertEquals(prestartPlannedWorker({ grant, root: "/home/x", cartridge: python }), undefined);
});
