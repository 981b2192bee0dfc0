/**
 * Temporary files that must not outlive an interrupted command. `try`/`finally` removes them on
 * every error, but Ctrl-C (SIGINT) or SIGTERM ends the process without running `finally`: while
 * any path is registered here, those signals remove the registered files first and then exit as
 * the shell expects (128 + the signal number).
 *
 * @module
 */

const registered = new Set<string>();
const SIGNALS: readonly [Deno.Signal, number][] = [["SIGINT", 2], ["SIGTERM", 15]];
const listeners = new Map<Deno.Signal, () => void>();

function removeAllAndExit(signalNumber: number): void {
  for (const path of registered) {
    try {
      Deno.removeSync(path);
    } catch {
      // gone already, or never created
    }
  }
  Deno.exit(128 + signalNumber);
}

/**
 * Registers `path` to be removed if the process is interrupted; returns the function that
 * unregisters it (call it once the file is renamed into place or removed). The signal handlers
 * exist only while something is registered, so they never keep a finished process alive.
 */
export function removeOnInterrupt(path: string): () => void {
  registered.add(path);
  if (listeners.size === 0) {
    for (const [signal, number] of SIGNALS) {
      const listener = () => removeAllAndExit(number);
      try {
        Deno.addSignalListener(signal, listener);
        listeners.set(signal, listener);
      } catch {
        // a signal this platform does not deliver (SIGTERM on Windows)
      }
    }
  }
  return () => {
    registered.delete(path);
    if (registered.size > 0) return;
    for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
    listeners.clear();
  };
}
