/**
 * `pxos pxi build|json|text|nasm|boot|poh`: the PXI Assembly tools.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { writeFileAtomic } from "../../archive/directory.ts";
import {
  buildPxi,
  PXI_TARGET_EXTENSION,
  PXI_TARGETS,
  pxiStem,
  type PxiTarget,
  readPxi,
} from "../../pxi/build.ts";
import { pxiToJson } from "../../pxi/json.ts";
import { printPxs } from "../../pxi/print_text.ts";
import { pohToPxi } from "../../pxi/poh/frontend.ts";
import { pxiToNasm } from "../../pxi/x86/nasm_text.ts";
import {
  type Command,
  expectPositionals,
  integerOption,
  parseCommandArgs,
  stringOption,
} from "../command.ts";
import { EXIT, EXIT_CODES_HELP } from "../exit_codes.ts";
import { readInputFile } from "../files.ts";
import type { CliIO } from "../io.ts";
import { bootInQemu, QEMU_INSTALL_HINT, qemuAvailable } from "../qemu.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const HELP = `pxos pxi — PXI Assembly: the portable IR (.pxs text, .pxi.json JSON) and its backends

Usage: pxos pxi <build|json|text|nasm|poh|boot> <file> [options]

  pxos pxi build <file.pxs|file.pxi.json> [--target x86|x86-boot|pxvm] [--boot] [-o out] [--no-map]
      compile; writes out (default: the stem + .x86.bin / .boot.bin / .pxvm) and out.map.json
      (byte ranges → IR lines) unless --no-map
  pxos pxi json <file.pxs> [-o out.pxi.json]     text → JSON
  pxos pxi text <file.pxi.json> [-o out.pxs]     JSON → text
  pxos pxi nasm <file> [-o out.asm]              NASM source that assembles to the same x86 bytes
  pxos pxi poh <file.poh> [-o out.pxs|out.pxi.json]
      compile Poh's integer subset to PXI (then build it like any IR)
  pxos pxi boot <file.pxs|file.pxi.json|boot.bin> [--timeout ms]
      build the boot sector and boot it in QEMU (headless; COM1 is printed); the exit status is
      the program's (SYSCALL halt / OUT 0xF4, AL)

Run a PXI program inside pxOS (pxVM backend): pxos run file.pxs
List a built binary with its IR lines: pxos disasm --x86 file.boot.bin

Options:
  -t, --target <t>   x86 (flat binary at ORG, the default), x86-boot (512-byte boot sector ending
                     0x55AA), pxvm (pxVM bytecode)
  --boot             same as --target x86-boot
  -o, --output <f>   where to write
  --no-map           do not write the source map
  --timeout <ms>     QEMU time limit for boot (default 10000)

Example:
  pxos pxi build examples/pxi-hello/hello.pxs --boot -o hello.bin && pxos pxi boot hello.bin

${EXIT_CODES_HELP}
`;

async function readIr(file: string) {
  return readPxi(decoder.decode(await readInputFile(file)), file);
}

async function emit(
  io: CliIO,
  output: string | undefined,
  text: string,
  quiet: boolean,
  from: string,
): Promise<void> {
  if (output === undefined) {
    io.out(text);
    return;
  }
  await writeFileAtomic(output, encoder.encode(text));
  if (!quiet) io.err(`${from} → ${output}\n`);
}

function targetOf(value: string | undefined, boot: boolean): PxiTarget {
  if (boot && value !== undefined && value !== "x86-boot") {
    throw new PxosError(
      "E_USAGE",
      `pxos pxi build: --boot makes a boot sector; it cannot be combined with --target ${value}`,
    );
  }
  const t = value ?? (boot ? "x86-boot" : "x86");
  if (!(PXI_TARGETS as readonly string[]).includes(t)) {
    throw new PxosError(
      "E_USAGE",
      `pxos pxi build: --target expects ${PXI_TARGETS.join(", ")}, found ${JSON.stringify(t)}`,
    );
  }
  return t as PxiTarget;
}

/** `pxos pxi`. */
export const pxiCommand: Command = {
  name: "pxi",
  summary: "PXI Assembly: build x86/boot/pxVM binaries, convert text ↔ JSON, boot in QEMU",
  help: HELP,
  async run(args, io) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseCommandArgs("pxi", rest, {
      target: { type: "string", short: "t" },
      output: { type: "string", short: "o" },
      "no-map": { type: "boolean" },
      boot: { type: "boolean" },
      timeout: { type: "string" },
    });
    const output = stringOption(values, "output");
    const quiet = values.quiet === true;
    if (sub === undefined || sub === "help" || sub.startsWith("-") || values.help) {
      io.out(HELP);
      return EXIT.OK;
    }
    const [file] = expectPositionals(`pxi ${sub}`, positionals, ["file"]);
    switch (sub) {
      case "build": {
        const target = targetOf(stringOption(values, "target"), values.boot === true);
        const { bytes, map } = buildPxi(await readIr(file), target);
        const out = output ?? `${pxiStem(file)}${PXI_TARGET_EXTENSION[target]}`;
        await writeFileAtomic(out, bytes);
        if (!values["no-map"]) {
          await writeFileAtomic(
            `${out}.map.json`,
            encoder.encode(`${JSON.stringify(map, null, 1)}\n`),
          );
        }
        if (!quiet) io.err(`${file} → ${out} (${target}, ${bytes.length} bytes)\n`);
        return EXIT.OK;
      }
      case "json":
        await emit(io, output, pxiToJson((await readIr(file)).program), quiet, file);
        return EXIT.OK;
      case "text":
        await emit(io, output, printPxs((await readIr(file)).program), quiet, file);
        return EXIT.OK;
      case "nasm":
        await emit(io, output, pxiToNasm(await readIr(file)), quiet, file);
        return EXIT.OK;
      case "poh": {
        const program = pohToPxi(decoder.decode(await readInputFile(file)), file);
        const json = output !== undefined && output.toLowerCase().endsWith(".json");
        await emit(io, output, json ? pxiToJson(program) : printPxs(program), quiet, file);
        return EXIT.OK;
      }
      case "boot":
        return await boot(io, file, integerOption("pxi boot", values, "timeout") ?? 10_000);
      default:
        throw new PxosError(
          "E_USAGE",
          `pxos pxi: expected build, json, text, nasm, poh or boot, found ${
            JSON.stringify(sub)
          } (see: pxos pxi --help)`,
        );
    }
  },
};

async function boot(io: CliIO, file: string, timeoutMs: number): Promise<number> {
  if (!(await qemuAvailable())) {
    throw new PxosError(
      "E_RUNTIME",
      `pxos pxi boot needs QEMU (qemu-system-i386), which is not installed; ${QEMU_INSTALL_HINT}`,
    );
  }
  let image = file;
  let temp: string | undefined;
  if (/\.(pxs|pxi\.json)$/i.test(file)) {
    const { bytes } = buildPxi(await readIr(file), "x86-boot");
    temp = await Deno.makeTempFile({ prefix: "pxi-boot-", suffix: ".bin" });
    await Deno.writeFile(temp, bytes);
    image = temp;
  }
  try {
    const result = await bootInQemu(image, timeoutMs);
    io.out(result.serial);
    if (result.timedOut) {
      throw new PxosError(
        "E_TIMEOUT",
        `QEMU ran past ${timeoutMs} ms (the program did not end with SYSCALL halt)`,
      );
    }
    return result.exitCode ?? 0;
  } finally {
    if (temp !== undefined) await Deno.remove(temp).catch(() => {});
  }
}
