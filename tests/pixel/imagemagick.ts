/**
 * Finds a real ImageMagick for the re-encode tests. The machine may carry a stand-in `convert`
 * that is not ImageMagick, so a candidate counts only when its `-version` says "ImageMagick".
 */

/**
 * The command to run ImageMagick's converter, or undefined when none is installed.
 * `PXOS_IMAGEMAGICK=<command>` tries only that command (e.g. to test the missing case).
 */
export async function findImageMagick(): Promise<string | undefined> {
  const chosen = Deno.env.get("PXOS_IMAGEMAGICK");
  for (const candidate of chosen ? [chosen] : ["magick", "/usr/bin/convert", "convert"]) {
    try {
      const { stdout, success } = await new Deno.Command(candidate, {
        args: ["-version"],
        stdout: "piped",
        stderr: "null",
      }).output();
      if (success && new TextDecoder().decode(stdout).includes("ImageMagick")) return candidate;
    } catch {
      // not installed under this name
    }
  }
  return undefined;
}

/** Runs ImageMagick with `args`, returning stdout; throws with stderr on failure. */
export async function runImageMagick(command: string, args: string[]): Promise<Uint8Array> {
  const { stdout, stderr, success } = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!success) {
    throw new Error(`${command} ${args.join(" ")} failed: ${new TextDecoder().decode(stderr)}`);
  }
  return stdout;
}
