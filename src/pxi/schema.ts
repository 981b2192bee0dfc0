/**
 * The JSON Schema of `.pxi.json`, generated from the instruction table (so editors and programs
 * that write IR see exactly the mnemonics, operand roles and syscalls this build accepts).
 * `docs/pxi.schema.json` is this output; a test keeps it current.
 *
 * @module
 */
import { INSTRUCTIONS, IR_VERSION, PREFIXES, SYSCALLS } from "./isa.ts";

const note = {
  comment: { type: "string", description: "The comment on the line (without ';')." },
  source_line: { type: "integer", minimum: 1, description: "Line in the higher-level source." },
  source_file: {
    type: "string",
    pattern: "^[^:\\n]*$",
    description: "The higher-level source file.",
  },
};

const operand = {
  type: ["string", "integer"],
  description: "Operand text: AX, 0x10, 'A', label, label+2, [BX+SI+4], BYTE [label]",
};

/**
 * The schema as a JSON value.
 *
 * @example
 * ```ts
 * import { generatePxiSchema } from "@pxos/core";
 * console.log((generatePxiSchema() as { title: string }).title); // "PXI Assembly (.pxi.json)"
 * ```
 */
export function generatePxiSchema(): unknown {
  const pseudo = [
    { op: "LABEL", props: { name: { type: "string" } }, required: ["name"] },
    {
      op: "FUNC",
      props: { name: { type: "string", pattern: "^[A-Za-z_]\\w*$" } },
      required: ["name"],
    },
    { op: "ENDFUNC", props: {}, required: [] },
    { op: "SYSCALL", props: { name: { enum: SYSCALLS.map((s) => s.name) } }, required: ["name"] },
  ];
  const rows = [
    ...pseudo.map((p) => ({
      if: { properties: { op: { const: p.op } } },
      then: {
        properties: {
          operands: {
            type: "object",
            properties: p.props,
            required: p.required,
            additionalProperties: false,
          },
        },
      },
    })),
    ...INSTRUCTIONS.map((spec) => ({
      if: { properties: { op: { const: spec.op } } },
      then: {
        properties: {
          operands: {
            type: "object",
            properties: Object.fromEntries(spec.roles.map((r) => [r, operand])),
            required: spec.roles.slice(0, spec.minOperands),
            additionalProperties: false,
          },
          ...(spec.repeatable ? {} : { prefix: false }),
        },
      },
    })),
  ];
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://pxos.dev/schema/pxi.schema.json",
    title: "PXI Assembly (.pxi.json)",
    description: "The JSON form of PXI Assembly; see docs/PXI.md. Generated from src/pxi/isa.ts.",
    type: "object",
    required: ["source", "ir_version", "origin", "instructions", "data"],
    additionalProperties: false,
    properties: {
      source: { type: "string", description: "The file the IR came from." },
      ir_version: { const: IR_VERSION },
      origin: { type: "integer", minimum: 0, maximum: 65535, description: "Load address (ORG)." },
      instructions: {
        type: "array",
        items: {
          type: "object",
          required: ["op", "operands"],
          additionalProperties: false,
          properties: {
            op: { enum: [...pseudo.map((p) => p.op), ...INSTRUCTIONS.map((s) => s.op)] },
            operands: { type: "object" },
            prefix: { enum: [...PREFIXES.keys()] },
            ...note,
          },
          allOf: rows,
        },
      },
      data: {
        type: "array",
        items: {
          type: "object",
          required: ["label", "type", "value"],
          additionalProperties: false,
          properties: {
            label: { type: ["string", "null"] },
            type: { enum: ["STRING", "BYTE", "WORD", "RESB"] },
            value: {
              oneOf: [
                { type: "string", description: "STRING: the text (a 0 byte follows)" },
                { type: "integer", minimum: 0, maximum: 65535, description: "RESB: the count" },
                {
                  type: "array",
                  minItems: 1,
                  items: { type: ["integer", "string"] },
                  description: "BYTE/WORD values",
                },
              ],
            },
            times: { type: "integer", minimum: 0, maximum: 65535 },
            ...note,
          },
        },
      },
    },
  };
}
