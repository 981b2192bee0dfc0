/**
 * Booting an x86 boot sector in QEMU, headless: the guest's serial port (COM1) is the output,
 * and QEMU's isa-debug-exit device ends the VM (`OUT 0xF4, AL` → status AL*2+1).
 *
 * @module
 */
import { PxosError } from "../errors.ts";

/** The QEMU binary used. */
export const QEMU_BINARY = "qemu-system-i386";

/** How to get QEMU when it is missing. */
export const QEMU_INSTALL_HINT =
  "install QEMU: apt-get install qemu-system-x86 (Debian/Ubuntu), brew install qemu (macOS), dnf install qemu-system-x86 (Fedora)";

/** The result of a boot. */
export interface QemuBoot {
  /** What the guest wrote to COM1. */
  serial: string;
  /** The guest's exit code (AL of `OUT 0xF4, AL`), or null when it did not exit that way. */
  exitCode: number | null;
  /** QEMU's own status. */
  qemuStatus: number;
  /** True when the time limit ended it. */
  timedOut: boolean;
  /** Milliseconds from start to exit. */
  ms: number;
}

/** True when QEMU can be started. */
export async function qemuAvailable(): Promise<boolean> {
  try {
    const r = await new Deno.Command(QEMU_BINARY, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return r.success;
  } catch {
    return false;
  }
}

/**
 * Boots `imagePath` (a raw disk image whose first sector boots) and collects its serial output.
 *
 * @param imagePath the boot sector file
 * @param timeoutMs kill QEMU after this long
 */
export async function bootInQemu(imagePath: string, timeoutMs = 10_000): Promise<QemuBoot> {
  const args = [
    "-display",
    "none",
    "-nic",
    "none",
    "-no-reboot",
    "-drive",
    `format=raw,file=${imagePath}`,
    "-serial",
    "stdio",
    "-device",
    "isa-debug-exit,iobase=0xf4,iosize=0x04",
  ];
  const start = performance.now();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(QEMU_BINARY, { args, stdin: "null", stdout: "piped", stderr: "piped" })
      .spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new PxosError("E_RUNTIME", `${QEMU_BINARY} is not installed; ${QEMU_INSTALL_HINT}`);
    }
    throw e;
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, timeoutMs);
  const out = await child.output();
  clearTimeout(timer);
  const ms = performance.now() - start;
  const status = out.code;
  // isa-debug-exit: status = AL*2+1 (always odd); anything else is QEMU's own ending.
  const exitCode = !timedOut && status % 2 === 1 ? (status - 1) / 2 : null;
  if (!timedOut && exitCode === null && status !== 0) {
    throw new PxosError(
      "E_RUNTIME",
      `${QEMU_BINARY} failed (status ${status}): ${
        new TextDecoder().decode(out.stderr).trim().slice(0, 400)
      }`,
    );
  }
  return {
    serial: new TextDecoder().decode(out.stdout),
    exitCode,
    qemuStatus: status,
    timedOut,
    ms,
  };
}
