/**
 * `pxos inspect <cart>`
 *
 * @module
 */
import type { Cartridge } from "../../archive/cartridge.ts";
import { pxiBuildsIn } from "../../pxi/cartridge.ts";
import { toHex } from "../../archive/hash.ts";
import { checkSignature, type SignatureCheck } from "../../archive/signature.ts";
import { engineFor } from "../../engines/registry.ts";
import type { Command } from "../command.ts";
import { expectPositionals, parseCommandArgs } from "../command.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { openCartridgeFile } from "../files.ts";
import { type CliIO, formatBytes, style } from "../io.ts";
import { escapeForTerminal } from "../../text_safety.ts";

/** `pxos inspect`: the manifest, requested permissions, files and image facts. */
export const inspectCommand: Command = {
  name: "inspect",
  summary: "show a cartridge's manifest, permissions, files and image",
  help: `Usage: pxos inspect <cart.pxa> [--json]

Shows the manifest, the permissions the cartridge asks for, every file with its size, hash and
compression, the image size and how much of its data capacity is used.

Options:
  --json   print everything as JSON

${EXIT_CODES_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("inspect", args, {
      json: { type: "boolean" },
    });
    const [cartPath] = expectPositionals("inspect", positionals, ["cart"]);
    const cart = await openCartridgeFile(cartPath);
    const report = inspectReport(
      cart,
      await checkSignature(cart.archive.digest, cart.archive.trailer),
    );
    const pxi = await pxiBuildsIn(
      cart.archive.entries.filter((e) => !e.directory).map((e) => e.path),
      (path) => cart.archive.read(path),
    );
    if (pxi.length > 0) report.pxi = pxi;
    const program = await describeEntry(cart);
    if (program) report.program = program;
    if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else printInspect(io, cart, report);
    for (const p of pxi) {
      io.out(
        `${style(io, "bold", "pxi builds")}  ${p.ir} sha256:${p.ir_sha256.slice(0, 16)}… ${
          p.ok ? "(hashes match)" : "(STALE: hashes differ)"
        }\n`,
      );
      for (const b of p.builds) {
        io.out(
          `  ${b.target.padEnd(9)} ${b.path}  ${formatBytes(b.bytes)}  sha256:${
            b.sha256.slice(0, 16)
          }…\n`,
        );
      }
      for (const s of p.skipped) io.out(`  ${s.target.padEnd(9)} not built: ${s.reason}\n`);
    }
    return 0;
  },
};

/** The machine-readable form of `inspect`. */
export function inspectReport(cart: Cartridge, signature: SignatureCheck): Record<string, unknown> {
  return {
    manifest: cart.manifest,
    permissions: requestedPermissions(cart),
    archive: {
      version: cart.archive.version,
      digest: toHex(cart.archive.digest),
      bytes: cart.archive.byteLength,
      signature,
    },
    files: cart.archive.entries,
    image: {
      ...cart.image,
      capacityUsed: cart.image.regionPixels === 0
        ? 0
        : cart.image.dataPixels / cart.image.regionPixels,
    },
  };
}

/**
 * What the entry's engine says about the program (e.g. a wasm module's imports), when it can
 * describe programs; undefined otherwise.
 */
async function describeEntry(
  cart: Cartridge,
): Promise<Record<string, string | string[]> | undefined> {
  const { entry, engine: id } = cart.manifest;
  let engine;
  try {
    engine = engineFor(entry, id);
  } catch {
    return undefined;
  }
  if (!engine.describe) return undefined;
  try {
    return engine.describe(await cart.archive.read(entry), { path: entry });
  } catch (e) {
    // A malformed entry still leaves the rest of the cartridge worth showing.
    return { error: (e as Error).message };
  }
}

/** Requested permissions as lines like `read ./data`, `clock`. */
function requestedPermissions(cart: Cartridge): string[] {
  const p = cart.manifest.permissions;
  const lines: string[] = [];
  for (const key of ["read", "write", "net"] as const) {
    for (const v of p[key] ?? []) lines.push(`${key} ${v}`);
  }
  for (const key of ["clock", "random", "gpu"] as const) if (p[key]) lines.push(key);
  return lines;
}

function printInspect(io: CliIO, cart: Cartridge, report: Record<string, unknown>): void {
  const m = cart.manifest;
  const line = (k: string, v: string | undefined) =>
    v !== undefined && io.out(`${style(io, "bold", k.padEnd(12))} ${escapeForTerminal(v)}\n`);
  line("title", m.title);
  line("name", `${m.name} ${m.version}`);
  line("author", m.author);
  line("description", m.description);
  line("entry", `${m.entry}${m.engine ? ` (engine ${m.engine})` : ""}`);
  line("runtime", m.pxos);
  line("requires", m.requires?.join(", "));
  const perms = report.permissions as string[];
  line("permissions", perms.length === 0 ? "none requested" : perms.join(", "));
  const limits = Object.entries(m.limits).map(([k, v]) => `${k}=${v}`).join(" ");
  line("limits", limits || undefined);
  line(
    "image",
    `${cart.image.width}×${cart.image.height} px, payload ${formatBytes(cart.image.payloadBytes)}`,
  );
  const used = cart.image.regionPixels === 0
    ? 0
    : (100 * cart.image.dataPixels) / cart.image.regionPixels;
  line(
    "capacity",
    `${cart.image.dataPixels} of ${cart.image.regionPixels} data-region pixels used (${
      used.toFixed(1)
    }%)`,
  );
  line("digest", toHex(cart.archive.digest));
  const sig = (report.archive as { signature: SignatureCheck }).signature;
  line(
    "signature",
    sig.signed ? `${sig.fingerprint ?? "unreadable"} (${sig.valid ? "valid" : "INVALID"})` : "none",
  );
  const program = report.program as Record<string, string | string[]> | undefined;
  if (program) {
    io.out(`${style(io, "bold", "program")}\n`);
    for (const [key, value] of Object.entries(program)) {
      const text = Array.isArray(value) ? value.join(", ") || "none" : value;
      io.out(`  ${key.padEnd(10)} ${text}\n`);
    }
  }
  io.out(`${style(io, "bold", "files")}\n`);
  for (const e of cart.archive.entries) {
    if (e.directory) {
      io.out(`  ${escapeForTerminal(e.path)}/\n`);
      continue;
    }
    const how = e.compressed ? `deflate ${formatBytes(e.storedSize)}` : "stored";
    io.out(
      `  ${escapeForTerminal(e.path)}  ${formatBytes(e.size)}  ${how}  sha256:${
        e.sha256.slice(0, 16)
      }…\n`,
    );
  }
}
