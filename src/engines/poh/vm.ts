/**
 * The PohLang bytecode VM's entry point: a stack machine over pre-verified `Int32Array` code.
 * Host calls that answer with a Promise suspend the dispatch loop; the async driver here awaits
 * them and resumes it. The VM's parts:
 *
 * - `vm_machine.ts`: the run's state (registers, saved frames, `try` handlers), error routing,
 *   the fuel slow path, and taking over frames from compiled code;
 * - `vm_dispatch.ts`: the dispatch loop over the frequent instructions;
 * - `vm_cold_ops.ts`: the rare instructions;
 * - `vm_support.ts`: the loaded form of a module, closures and cells, the value stack's bound;
 * - `vm_observer.ts`: `--trace` and `--profile`;
 * - `jit.ts` / `jit_runtime.ts`: the compiling tier.
 *
 * @module
 */
import type { Host } from "../../host/host.ts";
import type { Limits } from "../../host/limits.ts";
import type { ProfileSection } from "../engine.ts";
import { type FrameLoop, runFrames } from "../frame_loop.ts";
import { toRunError } from "./runtime.ts";
import { PohVm } from "./vm_machine.ts";
import type { LoadedPohModule } from "./vm_support.ts";

/** Options for {@link runPohVm}. */
export interface VmRunOptions {
  trace?: (line: string) => void;
  profile?: boolean;
  /**
   * False: interpret every function (the compiling tier is off). `"eager"`: enter a loop's
   * compiled form at its first turn instead of once it is hot (for tests). Default true.
   */
  jit?: boolean | "eager";
  /** The frame loop: after the main part, a top-level `update` function runs once per frame. */
  frameLoop?: FrameLoop;
}

/** What a finished VM run reports. */
export interface VmRunResult {
  fuelUsed: number;
  profile?: ProfileSection[];
}

/**
 * Runs a loaded module's main function to completion.
 *
 * @param loaded the verified module
 * @param host the host for I/O
 * @param limits fuel, time and memory limits
 * @param options trace and profile switches
 * @returns fuel used (and the profile when asked)
 */
export async function runPohVm(
  loaded: LoadedPohModule,
  host: Host,
  limits: Limits,
  options: VmRunOptions = {},
): Promise<VmRunResult> {
  const vm = new PohVm(loaded, host, limits, options);
  const drive = async () => {
    for (;;) {
      const pending = vm.loop();
      if (pending === null) break;
      try {
        vm.resumeValue = await pending;
      } catch (e) {
        vm.resumeError = e;
      }
    }
  };
  try {
    await drive();
    const update = options.frameLoop ? vm.globalFunction("update") : undefined;
    if (options.frameLoop && update) {
      await runFrames(options.frameLoop, async () => {
        vm.enter(update);
        await drive();
        return true;
      });
    }
  } catch (e) {
    throw toRunError(e, vm.errorFrames);
  } finally {
    vm.release();
  }
  return { fuelUsed: vm.rt.fuelTotal(), profile: vm.observer?.report() };
}
