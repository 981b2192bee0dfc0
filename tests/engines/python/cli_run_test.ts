import { join } from "../../../src/paths.ts";
import { assertEquals } from "../../assert.ts";

// In a fresh process, as a user runs it: the Python engine's interpreter provider is installed
// by the boot layer, which `pxos run` must reach for a bare file and for a project folder alike.
const CLI = new URL("../../../cli.ts", import.meta.url).pathname;

async function pxos(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", CLI, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, out: text(out.stdout), err: text(out.stderr) };
}

Deno.test("pxos run main.py and pxos run <python project> run in a fresh process", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "main.py"), "import helper\nprint(helper.greet())\n");
    await Deno.writeTextFile(join(dir, "helper.py"), "def greet():\n    return 'hi from helper'\n");
    const bare = await pxos(["run", join(dir, "main.py")]);
    assertEquals([bare.code, bare.out], [0, "hi from helper\n"], bare.err);
    await Deno.writeTextFile(
      join(dir, "pxos.json"),
      JSON.stringify({ name: "p", version: "1.0.0", entry: "main.py" }),
    );
    const project = await pxos(["run", dir]);
    assertEquals([project.code, project.out], [0, "hi from helper\n"], project.err);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
