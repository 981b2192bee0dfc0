/**
 * The call forms of the PohLang built-ins (`length(xs)`, `len(xs)`, `list_dir(p)`): the names a
 * program writes, each mapped to its row of the built-in table (`builtins.ts`).
 *
 * @module
 */

/** Built-ins callable with parentheses (`length(xs)`), by the name written in source. */
export const CALL_FORMS: ReadonlyMap<string, string> = new Map([
  ["length", "length"],
  ["len", "length"],
  ["range", "range"],
  ["join", "join"],
  ["split", "split"],
  ["abs", "abs"],
  ["round", "round"],
  ["floor", "floor"],
  ["ceil", "ceil"],
  ["min", "min"],
  ["max", "max"],
  ["sqrt", "sqrt"],
  ["sum", "total"],
  ["uppercase", "uppercase"],
  ["lowercase", "lowercase"],
  ["keys", "keys"],
  ["values", "values"],
  ["str", "text"],
  ["text", "text"],
  ["number", "number"],
  ["num", "number"],
  ["power", "power"],
  ["pow", "power"],
  ["now", "now"],
  ["list_dir", "listDir"],
  ["make_dir", "makeDir"],
  ["delete_file", "deleteFile"],
  ["fetch", "fetch"],
  ["canvas", "canvas"],
  ["layer", "layer"],
  ["use_layer", "useLayer"],
  ["delete_layer", "deleteLayer"],
  ["layer_opacity", "layerOpacity"],
  ["layer_visible", "layerVisible"],
  ["clear", "clear"],
  ["pixel", "pixel"],
  ["rect", "rect"],
  ["line", "line"],
  ["circle", "circle"],
  ["draw_text", "drawText"],
  ["present", "present"],
  ["rgb", "rgb"],
]);
