/**
 * The project templates `pxos new` scaffolds. One entry per template: its files, given the
 * project's name. A template is offered only when an engine of this build runs its entry, so a
 * template for an engine that is not registered (e.g. `wasm-c` before the wasm engine lands) is
 * one more entry here and appears by itself once that engine does.
 *
 * @module
 */
import { engineFor } from "../engines/registry.ts";
import { IGNORE_FILE } from "../archive/project_files.ts";
import { MANIFEST_PATH } from "../archive/manifest.ts";
import { WASM_C_BUILD, WASM_C_SOURCE, wasmCBinary } from "./template_wasm_c.ts";

/** A project template. */
export interface ProjectTemplate {
  /** The `--template` value. */
  id: string;
  /** One line for `pxos new --help`. */
  summary: string;
  /** The manifest's entry (the program `pxos boot <dir>` runs). */
  entry: string;
  /**
   * The program's files besides the manifest, README and ignore file, by path: text, or bytes
   * for a prebuilt binary (a `.wasm` beside its C source).
   */
  program(name: string): Record<string, string | Uint8Array>;
}

/** Every template, in the order `--help` lists them. */
export const TEMPLATES: readonly ProjectTemplate[] = [
  {
    id: "poh",
    summary: "PohLang: plain-English statements",
    entry: "main.poh",
    program: (name) => ({
      "main.poh": `Start Program
Write "Hello from ${name}!"
Set total to 0
Set i to 1
While i <= 3
  Set total to total plus i
  Set i to i plus 1
End
Write "1 + 2 + 3 = " plus total
End Program
`,
    }),
  },
  {
    id: "pixelvm",
    summary: "PixelVM assembly: the seed's stack machine",
    entry: "main.pxasm",
    program: (name) => ({
      "main.pxasm": `; ${name}: prints a greeting, then counts down from 3.
        PRINT_STR "Hello from ${name}!"
        PUSH 3
loop:   DUP
        PRINT
        PUSH 1
        SUB
        DUP
        JNZ loop
        HALT
`,
    }),
  },
  {
    id: "pxvm",
    summary: "pxVM assembly: the register machine with graphics syscalls",
    // pxVM loads bytecode only: the entry is what main.pxvmasm compiles to.
    entry: "main.pxvm",
    program: (name) => ({
      "main.pxvmasm": `; ${name}: prints a greeting and the sum 1 + 2 + 3.
.header start             ; the header says where code starts: the text before it is data
msg: .string "Hello from ${name}!\\n"
start:
    IMM32 R1, msg
    IMM32 R2, len(msg)
    SYSCALL PRINT
    IMM32 R1, 6
    SYSCALL PRINT_INT
    HALT
`,
    }),
  },
  {
    id: "wasm-c",
    summary: "C compiled to WebAssembly (wasm32-wasi), with its main.wasm prebuilt",
    entry: "main.wasm",
    program: (name) => ({
      "main.c":
        `/* ${name}: C for wasm32-wasi. pxOS runs main.wasm; after editing this file, rebuild it:
 *   ${WASM_C_BUILD.join(" ")}
 */
${WASM_C_SOURCE}`,
      "main.wasm": wasmCBinary(),
    }),
  },
];

/** The templates this build can run (an engine runs the entry). */
export function availableTemplates(
  templates: readonly ProjectTemplate[] = TEMPLATES,
): ProjectTemplate[] {
  return templates.filter((t) => {
    try {
      engineFor(t.entry);
      return true;
    } catch {
      return false;
    }
  });
}

/** Every file of a new project from `template`, by path. */
export function templateFiles(
  template: ProjectTemplate,
  name: string,
): Record<string, string | Uint8Array> {
  const program = template.program(name);
  // An entry that is no file of the template is what its source compiles to.
  const compile = template.entry in program ? "" : " --compile";
  const manifest = {
    name,
    version: "0.1.0",
    title: name,
    entry: template.entry,
    pxos: ">=0.1.0",
  };
  return {
    [MANIFEST_PATH]: `${JSON.stringify(manifest, null, 2)}\n`,
    ...program,
    "README.md": `# ${name}

A pxOS project (${template.summary}); the program is \`${Object.keys(program).join("\`, \`")}\`.

    pxos run ${name}     # run it here, in this process
    pxos boot ${name}    # run it in the sandbox, as its cartridge would run
    pxos pack ${name} -o ${name}.pxa${compile}    # make the cartridge image

Permissions the program needs (files, network, clock) go in \`${MANIFEST_PATH}\`'s
\`"permissions"\`; whoever runs it grants them with \`--allow-read\` and the like.
\`${IGNORE_FILE}\` lists, in .gitignore syntax, what \`pxos pack\` leaves out besides
dot-files, editor backups, \`*.pxa\` and \`*.frames/\`.
`,
    [IGNORE_FILE]: `# What pxos pack leaves out (gitignore syntax), besides dot-files, editor
# backups, *.pxa and *.frames/, which it always skips.
*.log
build/
`,
  };
}
