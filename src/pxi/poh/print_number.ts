/**
 * The Poh front end's number printer, written in PXI: prints AX as a signed decimal, keeping
 * every register.
 *
 * @module
 */
import type { IrProgram } from "../ast.ts";
import { parsePxs } from "../parse_text.ts";

const TEXT = `FUNC poh_print_number
    PUSH AX
    PUSH BX
    PUSH CX
    PUSH DX
    TEST AX, AX
    JNS .digits
    PUSH AX
    MOV AL, '-'
    SYSCALL print_char
    POP AX
    NEG AX
.digits:
    MOV BX, 10
    XOR CX, CX
.divide:
    XOR DX, DX
    DIV BX
    PUSH DX
    INC CX
    TEST AX, AX
    JNZ .divide
.print:
    POP AX
    ADD AL, '0'
    SYSCALL print_char
    LOOP .print
    POP DX
    POP CX
    POP BX
    POP AX
    RET
ENDFUNC
`;

/** The routine as IR (appended to programs that print numbers). */
export const POH_PRINT_NUMBER: IrProgram = parsePxs(TEXT, "<poh runtime>").program;
