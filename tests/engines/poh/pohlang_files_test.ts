/**
 * PohLang's file and JSON-file phrases against the real host on a temporary root, with the
 * `read` and `write` grants they need: `Write file "p" with …`, `write … into file at`,
 * `read lines from file at`, `copy file from … to …`, `move file from … to …`, and a JSON
 * configuration saved, read back and parsed. Both engines must leave the same files and print
 * the same thing.
 */
import { join } from "node:path";
import { NO_GRANT } from "../../../src/host/grant.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { runPohSource } from "../../../src/engines/poh/mod.ts";
import { assertEquals } from "../../assert.ts";
import { poh } from "./helpers.ts";

const PROGRAM = poh`
  Write file "data/notes.txt" with "first" plus "\\n" plus "second" plus "\\n"
  Set lines to read lines from file at "data/notes.txt"
  Write lines
  Write count of lines
  Set config to new json object
  Set config to set "app_name" in json config to "PohLang Demo"
  Set config to set "version" in json config to 1
  Set ok to write convert to pretty json config into file at "data/config.json"
  Write ok
  Set loaded to parse json from read file at "data/config.json"
  Write get "app_name" from json loaded
  Set loaded to set "version" in json loaded to 2
  Write convert to json loaded into file at "data/config.json"
  Write copy file from "data/notes.txt" to "data/copy.txt"
  Write move file from "data/copy.txt" to "data/moved.txt"
  Write file exists at "data/copy.txt"
  Write read lines from "data/moved.txt"
  Write list files in "data"
`;

const OUT = '["first", "second"]\n2\nTrue\nPohLang Demo\nTrue\nTrue\nFalse\n' +
  '["first", "second"]\n["config.json", "moved.txt", "notes.txt"]\n';

for (const engine of ["ast", "vm"] as const) {
  Deno.test(`PohLang file and JSON-file phrases on the ${engine} engine`, async () => {
    const root = await Deno.realPath(await Deno.makeTempDir());
    await Deno.mkdir(join(root, "data"));
    try {
      let out = "";
      const host = createHost({
        stdout: (t) => (out += t),
        grant: { ...NO_GRANT, read: ["data"], write: ["data"] },
        root,
      });
      await runPohSource(PROGRAM, "files.poh", host, DEFAULT_LIMITS, { engine });
      assertEquals(out, OUT);
      assertEquals(
        JSON.parse(await Deno.readTextFile(join(root, "data/config.json"))),
        { app_name: "PohLang Demo", version: 2 },
      );
      assertEquals(await Deno.readTextFile(join(root, "data/moved.txt")), "first\nsecond\n");
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}
