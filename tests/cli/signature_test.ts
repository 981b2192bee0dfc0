import { join } from "node:path";
import { assertEquals, assertMatch } from "../assert.ts";
import { runCli } from "../../src/cli/main.ts";
import { capturedIO } from "../../src/cli/io.ts";
import { decodeCartridgeImage, encodeCartridgeImage } from "../../src/pixel/mod.ts";
import { readArchive } from "../../src/archive/reader.ts";
import { packArchive } from "../../src/archive/writer.ts";
import { utf8 } from "../archive/helpers.ts";

async function cli(...args: string[]) {
  const io = capturedIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

async function setup() {
  const tmp = await Deno.makeTempDir();
  await Deno.mkdir(join(tmp, "in"));
  await Deno.writeTextFile(
    join(tmp, "in", "pxos.json"),
    JSON.stringify({ name: "s", version: "1.0.0", entry: "a.pxterm" }),
  );
  await Deno.writeTextFile(join(tmp, "in", "a.pxterm"), "original");
  const cart = join(tmp, "s.pxa");
  assertEquals((await cli("pack", join(tmp, "in"), "-o", cart)).code, 0);
  assertEquals((await cli("keygen", "-o", join(tmp, "alice"))).code, 0);
  assertEquals((await cli("keygen", "-o", join(tmp, "mallory"))).code, 0);
  return { tmp, cart, alice: join(tmp, "alice"), mallory: join(tmp, "mallory") };
}

/** Rebuilds the cartridge with `a.pxterm` changed, every hash recomputed, the old signature kept. */
async function tamper(cart: string, out: string): Promise<void> {
  const { payload } = await decodeCartridgeImage(await Deno.readFile(cart));
  const archive = await readArchive(payload);
  const files = await archive.readAll();
  files.set("a.pxterm", utf8("evil"));
  const rebuilt = await packArchive([...files].map(([path, data]) => ({ path, data })), {
    trailer: archive.trailer,
  });
  await Deno.writeFile(out, await encodeCartridgeImage(rebuilt));
}

Deno.test("sign → verify --trust accepts; inspect shows the fingerprint", async () => {
  const { tmp, cart, alice } = await setup();
  const signed = await cli("sign", "--key", `${alice}.key`, cart);
  assertEquals(signed.code, 0, signed.stderr);
  const fingerprint = /ed25519:[0-9a-f]{32}/.exec(signed.stdout)![0];
  const ok = await cli("verify", cart, "--trust", `${alice}.pub`);
  assertEquals(ok.code, 0, ok.stderr);
  assertMatch(ok.stdout, /\(trusted\)/);
  assertMatch(
    (await cli("inspect", cart)).stdout,
    new RegExp(`signature\\s+${fingerprint} \\(valid\\)`),
  );
  assertEquals(JSON.parse((await cli("verify", cart, "--json")).stdout).signature.valid, true);
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("--trust refuses unsigned, wrongly signed and tampered cartridges", async () => {
  const { tmp, cart, alice, mallory } = await setup();
  const unsigned = await cli("verify", cart, "--trust", `${alice}.pub`);
  assertEquals(unsigned.code, 2);
  assertMatch(unsigned.stderr, /E_SIGNATURE.*no signature/);

  assertEquals((await cli("sign", "--key", `${mallory}.key`, cart)).code, 0);
  const wrongKey = await cli("verify", cart, "--trust", `${alice}.pub`);
  assertEquals(wrongKey.code, 2);
  assertMatch(wrongKey.stderr, /not a trusted key/);
  assertEquals((await cli("boot", cart, "--trust", `${alice}.pub`)).code, 2);

  assertEquals((await cli("sign", "--key", `${alice}.key`, cart)).code, 0);
  const tampered = join(tmp, "tampered.pxa");
  await tamper(cart, tampered);
  const bad = await cli("verify", tampered, "--trust", `${alice}.pub`);
  assertEquals(bad.code, 2);
  assertMatch(bad.stderr, /does not verify/);
  assertEquals(
    (await cli("verify", tampered)).code,
    2,
    "an invalid signature fails verify even without --trust",
  );
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("keygen refuses to overwrite keys without --force", async () => {
  const { tmp, alice } = await setup();
  const again = await cli("keygen", "-o", alice);
  assertEquals(again.code, 2);
  assertMatch(again.stderr, /exists/);
  await Deno.remove(tmp, { recursive: true });
});

/** Rebuilds the cartridge with the same files and no signature trailer. */
async function strip(cart: string, out: string): Promise<void> {
  const { payload } = await decodeCartridgeImage(await Deno.readFile(cart));
  const files = await (await readArchive(payload)).readAll();
  const rebuilt = await packArchive([...files].map(([path, data]) => ({ path, data })));
  await Deno.writeFile(out, await encodeCartridgeImage(rebuilt));
}

Deno.test("boot --trust refuses tampered, stripped and wrongly signed cartridges; the audit says why", async () => {
  const { tmp, cart, alice, mallory } = await setup();
  const audit = join(tmp, "audit.jsonl");
  assertEquals((await cli("sign", "--key", `${alice}.key`, cart)).code, 0);
  const tampered = join(tmp, "tampered.pxa");
  const stripped = join(tmp, "stripped.pxa");
  await tamper(cart, tampered);
  await strip(cart, stripped);
  const byMallory = join(tmp, "mallory.pxa");
  await Deno.copyFile(cart, byMallory);
  assertEquals((await cli("sign", "--key", `${mallory}.key`, byMallory)).code, 0);
  for (
    const [path, why] of [
      [tampered, /does not verify/],
      [stripped, /no signature/],
      [byMallory, /not a trusted key/],
    ] as const
  ) {
    const r = await cli("boot", path, "--trust", `${alice}.pub`, "--audit", audit);
    assertEquals(r.code, 2, path);
    assertMatch(r.stderr, why);
  }
  const entries = (await Deno.readTextFile(audit)).trim().split("\n").map((l) => JSON.parse(l));
  assertEquals(entries.length, 3);
  for (const e of entries) {
    assertEquals([e.call, e.allowed], ["boot", false]);
    assertMatch(e.reason, /^E_SIGNATURE: /);
  }
  await Deno.remove(tmp, { recursive: true });
});
