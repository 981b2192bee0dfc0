/**
 * Opening a URL in the user's browser for `pxos serve`: `$BROWSER` when set, else the
 * platform's opener (`xdg-open` on Linux and the BSDs, `open` on macOS, `explorer` on Windows)
 * when it is on the PATH.
 *
 * @module
 */
import { delimiter, join } from "node:path";

/** The program (and leading arguments) that opens a URL here, or null when none is found. */
export async function findBrowser(): Promise<string[] | null> {
  const chosen = Deno.env.get("BROWSER");
  if (chosen) return chosen.split(" ").filter((part) => part !== "");
  const opener = Deno.build.os === "darwin"
    ? "open"
    : Deno.build.os === "windows"
    ? "explorer.exe"
    : "xdg-open";
  for (const dir of (Deno.env.get("PATH") ?? "").split(delimiter)) {
    if (dir && await Deno.stat(join(dir, opener)).then((s) => s.isFile, () => false)) {
      return [join(dir, opener)];
    }
  }
  return null;
}

/**
 * Whether `pxos serve` opens the browser: `--open` yes, `--no-open` no; by default only when
 * standard output is a terminal (never under tests or pipes) and a browser is found.
 */
export function shouldOpenBrowser(
  flags: { open?: boolean; noOpen?: boolean },
  stdoutIsTerminal: boolean,
  browser: string[] | null,
): boolean {
  if (flags.noOpen || browser === null) return false;
  return flags.open === true || stdoutIsTerminal;
}

/** Starts the browser on `url` without waiting for it; false when it could not start. */
export function openInBrowser(browser: string[], url: string): boolean {
  try {
    const child = new Deno.Command(browser[0], {
      args: [...browser.slice(1), url],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    child.unref();
    child.status.catch(() => {});
    return true;
  } catch {
    return false;
  }
}
