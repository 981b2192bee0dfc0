/**
 * PohLang's web statements, written out as ordinary PohLang so both engines run them the same:
 *
 * - `Add route "/p" [with method "GET"] to server:` and the indented lines under it become a
 *   function of `request` (named `route GET /p` in stack traces) registered on the server; inside
 *   it `Write html response with …` (or `json response`, `error response`) is its answer.
 * - `Start server` (the server made last) and `Start server on 8080 with handler` (one handler
 *   for every request) become a loop: accept a request, call the route's function, answer it —
 *   until the host closes the server. A failing handler answers 500; no route answers 404.
 *
 * The loop's variables have names with spaces (`web request`), which no program can write.
 *
 * @module
 */
import type { Expr, FuncDef, Stmt } from "./ast.ts";
import { DefinitionParser } from "./parse_defs.ts";

/** The built-ins whose value, written in a route, is the route's answer. */
const RESPONSES = new Set(["htmlResponse", "jsonResponse", "errorResponse"]);

/** Web statements on top of the definitions parser. */
export abstract class WebParser extends DefinitionParser {
  /** `Add route path [with method m] to server:` plus its indented body (or `End route`). */
  protected parseAddRoute(): Stmt {
    const t = this.next();
    const line = t.line;
    this.pos++; // route
    this.noWith++;
    const path = this.parseAdditive();
    this.noWith--;
    let method: Expr = { kind: "str", value: "GET", line };
    if (this.acceptWord("with")) {
      this.expectWord("method", "after `Add route … with`", 'write `with method "GET"`');
      method = this.parseAdditive();
    }
    this.expectWord("to", "in `Add route path to server:`");
    const server = this.parseAdditive();
    this.acceptSymbol(":");
    this.endLine();
    const body: Stmt[] = [];
    this.functionDepth++;
    try {
      for (;;) {
        this.skipBlankLines();
        const next = this.peek();
        if (next.kind === "eof" || next.col <= t.col) break;
        body.push(this.parseStatement());
      }
    } finally {
      this.functionDepth--;
    }
    if (this.atWord("end") && this.atWord("route", 1)) {
      this.pos += 2;
      this.endLine();
    }
    if (body.length === 0) {
      throw this.error(
        this.peek(),
        "expected the route's statements on the lines after `Add route …:`, indented",
        'indent them under the `Add route` line, e.g. `    Write html response with "Hi"`',
      );
    }
    const label = `route ${method.kind === "str" ? method.value : "?"} ${
      path.kind === "str" ? path.value : "?"
    }`;
    const handler: FuncDef = {
      kind: "func",
      name: label,
      params: [{ name: "request", default: null }],
      body: body.map(answerResponses),
      line,
      file: this.file,
    };
    const register = builtin("webAddRoute", [server, path, method, name(label, line)], line);
    return group([handler, { kind: "expr", value: register, line }], line);
  }

  /** `Start server` or `Start server on [port] N with handler`. */
  protected parseStartServer(): Stmt {
    const t = this.next();
    const line = t.line;
    this.pos++; // server
    const stmts: Stmt[] = [];
    const server = name("web server", line);
    if (this.acceptWord("on")) {
      this.acceptWord("port");
      this.noWith++;
      const port = this.parseAdditive();
      this.noWith--;
      this.expectWord("with", "in `Start server on port with handler`");
      const handler = this.parseAdditive();
      stmts.push(set("web server", builtin("webServer", [port], line), line));
      const any: Expr = { kind: "str", value: "*", line };
      stmts.push(expr(builtin("webAddRoute", [server, any, any, handler], line), line));
    } else {
      stmts.push(set("web server", builtin("webCurrent", [], line), line));
    }
    this.endLine();
    const request = name("web request", line);
    const handler = name("web handler", line);
    const accept = set("web request", builtin("webAccept", [server], line), line);
    const respond = (answer: Expr): Stmt =>
      expr(builtin("webRespond", [request, answer], line), line);
    // A failing handler, or an answer that cannot be sent, is answered 500; the server goes on.
    const serveOne: Stmt[] = [
      set("web handler", builtin("webHandler", [server, request], line), line),
      {
        kind: "try",
        body: [
          {
            kind: "if",
            cond: { kind: "binary", op: "==", left: handler, right: { kind: "null", line }, line },
            then: [set("web answer", builtin("webNotFound", [], line), line)],
            otherwise: [
              set("web answer", { kind: "call", callee: handler, args: [request], line }, line),
            ],
            line,
          },
          respond(name("web answer", line)),
        ],
        handlers: [{
          type: null,
          name: "web error",
          body: [respond(builtin("webFailed", [name("web error", line)], line))],
          line,
        }],
        finally: null,
        line,
      },
      accept,
    ];
    const loop: Stmt = {
      kind: "while",
      cond: { kind: "binary", op: "!=", left: request, right: { kind: "null", line }, line },
      body: serveOne,
      line,
    };
    stmts.push(expr(builtin("webListen", [server], line), line));
    stmts.push({
      kind: "try",
      body: [accept, loop],
      handlers: [],
      finally: [expr(builtin("webClose", [server], line), line)],
      line,
    });
    return group(stmts, line);
  }
}

function name(n: string, line: number): Expr {
  return { kind: "name", name: n, line, col: 1 };
}

function builtin(n: string, args: Expr[], line: number): Expr {
  return { kind: "builtin", name: n, args, line };
}

function set(n: string, value: Expr, line: number): Stmt {
  return { kind: "set", name: n, value, line };
}

function expr(value: Expr, line: number): Stmt {
  return { kind: "expr", value, line };
}

/** Several statements where the grammar has room for one. */
function group(stmts: Stmt[], line: number): Stmt {
  return {
    kind: "if",
    cond: { kind: "bool", value: true, line },
    then: stmts,
    otherwise: null,
    line,
  };
}

/** In a route, `Write <response>` answers the request: it becomes `Return <response>`. */
function answerResponses(s: Stmt): Stmt {
  if (s.kind === "write" && s.value.kind === "builtin" && RESPONSES.has(s.value.name)) {
    return { kind: "return", value: s.value, line: s.line };
  }
  if (s.kind === "if") {
    return {
      ...s,
      then: s.then.map(answerResponses),
      otherwise: s.otherwise ? s.otherwise.map(answerResponses) : null,
    };
  }
  if (s.kind === "while" || s.kind === "repeat" || s.kind === "forEach") {
    return { ...s, body: s.body.map(answerResponses) };
  }
  return s;
}
