/**
 * `pxos boot <cart>`
 *
 * @module
 */
import { bootCartridge } from "../../boot/boot.ts";
import { PxosError } from "../../errors.ts";
import type { Command } from "../command.ts";
import { expectPositionals, integerOption, parseCommandArgs } from "../command.ts";
import { EXIT_CODES_HELP } from "../exit_codes.ts";
import { openCartridgeFile } from "../files.ts";
import { requireTrustedSignature } from "../../archive/signature.ts";
import { readTrustedKeys } from "./verify.ts";
import {
  GRAPHICS_HELP,
  GRAPHICS_OPTIONS,
  openFrameOutput,
  reportFrames,
} from "../graphics_options.ts";
import { stdinLines } from "../stdin.ts";
import { style } from "../io.ts";

/** `pxos boot`: verify a cartridge and run its entry program. */
export const bootCommand: Command = {
  name: "boot",
  summary: "verify a cartridge and run its program",
  help: `Usage: pxos boot <cart.pxa> [--fuel N] [--timeout MS] [--trust KEY.pub]... [--frames DIR]

Opens the cartridge, checks its integrity and manifest, picks the engine for its entry and runs
it. The process exits with the program's exit code. Nothing outside the cartridge is granted:
the program reads its own files, gets a deterministic clock and a seeded random source.

Options:
  --fuel N        cap the instruction budget (the manifest's limit or this, whichever is lower)
  --timeout MS    cap the wall-clock budget in milliseconds
  --trust FILE    run only if validly signed by this public key (repeatable)

${GRAPHICS_HELP}

Example:
  pxos boot countdown.pxa

${EXIT_CODES_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs("boot", args, {
      fuel: { type: "string" },
      timeout: { type: "string" },
      trust: { type: "string", multiple: true },
      ...GRAPHICS_OPTIONS,
    });
    const [cartPath] = expectPositionals("boot", positionals, ["cart"]);
    const cart = await openCartridgeFile(cartPath, true);
    const trusted = await readTrustedKeys(values.trust);
    if (trusted.length > 0) {
      await requireTrustedSignature(cart.archive.digest, cart.archive.trailer, trusted);
    }
    const requested = Object.entries(cart.manifest.permissions)
      .filter(([, v]) => v === true || (Array.isArray(v) && v.length > 0))
      .map(([k, v]) => (Array.isArray(v) ? `${k} ${v.join(",")}` : k));
    if (requested.length > 0) {
      io.err(
        style(
          io,
          "dim",
          `# ${cart.manifest.name} asks for: ${requested.join("; ")} (not granted)\n`,
        ),
      );
    }
    // The WebGPU renderer needs the gpu permission: the manifest must request it, and naming
    // `--renderer webgpu` is the user granting it. (Grant flags and prompts: the permissions issue.)
    const wantsGpu = values.renderer === "webgpu";
    if (wantsGpu && cart.manifest.permissions.gpu !== true) {
      throw new PxosError(
        "E_PERMISSION",
        `--renderer webgpu needs the gpu permission, which ${cart.manifest.name} does not request; use --renderer cpu`,
      );
    }
    const frames = await openFrameOutput("boot", values, cartPath, {
      canvas: cart.manifest.canvas,
      gpuGranted: wantsGpu,
    });
    // With --pxterm, stdout carries the draw list; the program's own output goes to stderr.
    const programOut = values.pxterm ? (t: string) => io.err(t) : (t: string) => io.out(t);
    let result;
    try {
      result = await bootCartridge(cart, {
        stdout: programOut,
        stderr: (t) => io.err(t),
        gfx: frames.sink,
        readLine: stdinLines(),
        limitCaps: {
          fuel: integerOption("boot", values, "fuel"),
          timeoutMs: integerOption("boot", values, "timeout"),
        },
      });
    } finally {
      reportFrames(io, await frames.finish());
    }
    return result.exitCode;
  },
};
