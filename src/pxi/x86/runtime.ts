/**
 * The x86 backend's SYSCALL routines, written in PXI itself (so the same encoder and the same
 * NASM comparison cover them). `SYSCALL name` becomes `CALL __pxi_name`; only the routines a
 * program uses (and those they call) are appended after its code. Each preserves every register
 * it does not document.
 *
 * @module
 */

/** Routine bodies by syscall name, and the routines each calls. */
export const X86_RUNTIME: ReadonlyMap<string, { text: string; uses: readonly string[] }> = new Map([
  ["print_char", {
    uses: [],
    // COM1 for headless runs (QEMU -serial stdio) and the BIOS teletype for the screen; the
    // screen needs CR before LF, the serial stream keeps plain LF so both backends print alike.
    text: `FUNC __pxi_print_char
    PUSH AX
    PUSH BX
    PUSH DX
    MOV DX, 0x3F8
    OUT DX, AL
    MOV BX, 7
    CMP AL, 10
    JNE .screen
    MOV AX, 0x0E0D
    INT 0x10
    MOV AL, 10
.screen:
    MOV AH, 0x0E
    INT 0x10
    POP DX
    POP BX
    POP AX
    RET
ENDFUNC`,
  }],
  ["print_string", {
    uses: ["print_char"],
    text: `FUNC __pxi_print_string
    PUSH AX
    PUSH SI
.next:
    MOV AL, [SI]
    CMP AL, 0
    JE .done
    CALL __pxi_print_char
    INC SI
    JMP .next
.done:
    POP SI
    POP AX
    RET
ENDFUNC`,
  }],
  ["newline", {
    uses: ["print_char"],
    text: `FUNC __pxi_newline
    PUSH AX
    MOV AL, 10
    CALL __pxi_print_char
    POP AX
    RET
ENDFUNC`,
  }],
  ["clear_screen", {
    uses: [],
    text: `FUNC __pxi_clear_screen
    PUSH AX
    MOV AX, 3
    INT 0x10
    POP AX
    RET
ENDFUNC`,
  }],
  ["halt", {
    uses: [],
    // QEMU's isa-debug-exit ends the VM with status AL*2+1; real hardware stops here.
    text: `FUNC __pxi_halt
    OUT 0xF4, AL
.stop:
    CLI
    HLT
    JMP .stop
ENDFUNC`,
  }],
]);

/** The runtime text a program that uses `names` needs (dependencies included, in table order). */
export function x86RuntimeFor(names: Iterable<string>): string {
  const needed = new Set<string>();
  const add = (name: string) => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const dep of X86_RUNTIME.get(name)!.uses) add(dep);
  };
  for (const name of names) add(name);
  return [...X86_RUNTIME.keys()].filter((n) => needed.has(n)).map((n) => X86_RUNTIME.get(n)!.text)
    .join("\n") + "\n";
}
