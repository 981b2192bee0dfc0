/**
 * Differential cases for PohLang's own forms, in the style of its guide, cheat sheet, examples
 * and runtime tests: `Define function`, `defaulting to`, `Call`, legacy collections, brace
 * dictionaries, colon forms, handler-less `try`, JSON values and PohLang's error wording.
 * Appended to `CASES` in `programs.ts`.
 */
import type { PohCase } from "./programs.ts";
import { poh } from "./helpers.ts";

export const POHLANG_CASES: PohCase[] = [
  {
    name: "PohLang functions: Define function, parameters, defaulting to, closures, Call",
    src: poh`
      Start Program
      Define function add with parameters x, y as x plus y
      Write add with 2 and 3
      Define function greet with parameter name defaulting to "World" as "Hello " plus name
      Write greet
      Write greet with "Ada"
      Set base to 10
      Define function makeAdder with parameter y as base plus y
      Write makeAdder with 5
      Set base to 20
      Write makeAdder with 5
      Define function shout with parameter x as x plus x
      Call shout with "Ha"
      Make hello with name set to "World" Write "Hi " plus name
      Call hello
      Use hello with "Poh"
      Make wave with who defaulting to "all" Write "bye " plus who
      Call wave
      Define function area with parameters w, h
        Set a to w * h
        Return a
      End
      Write area with 3, 4
      Define function noArgs as 42
      Write noArgs
      Make makeCounter
        Set n to 0
        Make step
          Set n to n + 1
          Return n
        End
        Return step
      End
      Set c to makeCounter()
      Write c()
      Write c()
      End Program
    `,
    out: "5\nHello World\nHello Ada\n15\n25\nHaHa\nHi World\nHi Poh\nbye all\n12\n42\n1\n2\n",
  },
  {
    name: "a call of a name nothing defines: Function 'nope' is not defined",
    src: poh`
      Write "before"
      Write nope with 1
    `,
    out: "before\n",
    error: { code: "E_TRAP", match: /t\.poh:2: NameError: Function 'nope' is not defined/ },
  },
  {
    name: "undefined calls are catchable, and a name set later is still a variable error",
    src: poh`
      try this:
        Write missing(1, 2)
      if error as e
        Write error message of e
      end try
      try this:
        Write later with 1
      if error of type "NameError" as e
        Write error message of e
      end try
      Set later to 5
      Make twice with x
        Return x * 2 + helper(x)
      End
      Repeat 3 times
        try this:
          Write twice(1)
        if error as e
          Write error type of e plus ": " plus error message of e
        end try
      End
    `,
    out:
      "Function 'missing' is not defined\n`later` has no value yet (give it one with Set later to …)\n" +
      "NameError: Function 'helper' is not defined\n".repeat(3),
  },
  {
    name: "the arity error names what the function expects",
    src: poh`
      Define function pair with parameters a, b as a plus b
      Write pair with 1
    `,
    out: "",
    error: {
      code: "E_TRAP",
      match: /TypeError: Function 'pair' expects 2 arguments but got 1/,
    },
  },
  {
    name: "dictionary literals: bare and quoted keys, expressions inside, {}, not-found key",
    src: poh`
      Set person to {name: "Bob", "port": 8080, age: 30 + 5}
      Write person
      Write person["name"]
      Write person["age"] * 2
      Set empty to {}
      Write empty
      Write length(empty)
      Set xs to [1 + 1, 2 * 3, "a" plus "b", [4, 5][1]]
      Write xs
      Set nested to {items: [1, 2], meta: {ok: True}}
      Write nested["meta"]["ok"]
      Set person["city"] to "Oslo"
      Write person["city"]
      Write person["email"]
    `,
    out: '{"name": "Bob", "port": 8080, "age": 35}\nBob\n70\n{}\n0\n[2, 6, "ab", 5]\nTrue\nOslo\n',
    error: { code: "E_TRAP", match: /KeyError: Key "email" not found in dictionary/ },
  },
  {
    name: "collections: Make a list of, Make a dictionary with, legacy contains forms, Add",
    src: poh`
      Set numbers to Make a list of 1, 2, 3, 4, 5
      Write numbers
      Set matrix to Make a list of Make a list of 1, 2, Make a list of 3, 4
      Write matrix
      Set person to Make a dictionary with "name" set to "Ada", "age" set to 36
      Write person["age"] + 1
      Set legacy to List contains 1, 2, 3
      Write legacy
      Set d to Dictionary contains "x" set to 5, "y": 6
      Write d
      Set tasks to Make a list
      Add "write" to tasks
      Add 2 * 3 to tasks
      Write tasks
      Write count of tasks
    `,
    out: '[1, 2, 3, 4, 5]\n[[1, 2], [3, 4]]\n37\n[1, 2, 3]\n{"x": 5, "y": 6}\n' +
      '["write", 6]\n2\n',
  },
  {
    name: "a program's own add(…) is a call; Add x to xs is the list statement",
    src: poh`
      Make add with a, b
        Write a + b
      End
      add(1, 2)
      Set xs to [1]
      Add 2 to xs
      Write xs
    `,
    out: "3\n[1, 2]\n",
  },
  {
    name: "Write line, Comment:, colon forms of If, Otherwise, While, Repeat and Make",
    src: poh`
      Comment: PohLang's comment line
      Set x to 3
      Write line "x is " plus x
      If x > 2:
        Write "big"
      Otherwise:
        Write "small"
      End
      If x is 3: Write "three"
      If x is 4: Write "four" Otherwise Write "not four"
      If x < 0:
        Write "negative"
      Otherwise If x == 3:
        Write "exactly three"
      End
      While x > 1:
        Decrease x
      End
      Repeat 2 times:
        Write "r"
      End
      Make twice with n:
        Return n * 2
      End
      Write twice(x)
      Set line to "a variable called line"
      Write line
    `,
    out: "x is 3\nbig\nthree\nnot four\nexactly three\nr\nr\n2\na variable called line\n",
  },
  {
    name: "try this: without a handler drops the error and carries on",
    src: poh`
      try this:
        Write "start"
        Write 1 / 0
        Write "not reached"
      end try
      Write "after"
      try this:
        throw "quiet"
      finally:
        Write "cleanup"
      end try
    `,
    out: "start\nafter\ncleanup\n",
    error: { code: "E_TRAP", match: /RuntimeError: quiet/ },
  },
  {
    name: "JSON values: new, set, push, get, length, parse, convert (compact and pretty)",
    src: poh`
      Set person to new json object
      Set person to set "name" in json person to "Bob"
      Set older to set "age" in json person to 25
      Write person
      Write older
      Set scores to new json array
      Set scores to push 85 to json scores
      Set more to push 92 to json scores
      Write json length of scores
      Write json length of more
      Write json length of older
      Write convert to json older
      Write convert to pretty json {"a": [1, True, None], "b": "x"}
      Set parsed to parse json from '{"name":"Alice","tags":[1,2.5,"x"],"ok":false,"n":null}'
      Write get "name" from json parsed
      Write get "tags" from json parsed
      Write get "missing" from json parsed
      Write parsed["ok"]
      Write get 1 from json get "tags" from json parsed
      Set again to parse json from convert to json parsed
      Write again == parsed
    `,
    out: '{"name": "Bob"}\n{"name": "Bob", "age": 25}\n1\n2\n2\n{"name":"Bob","age":25}\n' +
      '{\n  "a": [\n    1,\n    true,\n    null\n  ],\n  "b": "x"\n}\n' +
      'Alice\n[1, 2.5, "x"]\nNone\nFalse\n2.5\nTrue\n',
  },
  {
    name: "JSON errors: bad text and functions are JsonErrors",
    src: poh`
      try this:
        Set v to parse json from "{oops"
      if error of type "JsonError" as e
        Write "bad json"
      end try
      Make f with x Return x
      Write convert to json [1, f]
    `,
    out: "bad json\n",
    error: { code: "E_TRAP", match: /JsonError: convert to json expects data, found a function/ },
  },
  {
    name: "web statements register routes (no server started): Create web server, Add route",
    src: poh`
      Create web server on port 8080
      Write server["port"]
      Add route "/" with method "GET" to server:
          Write html response with "<h1>Hi</h1>"
      End route
      Set other to create web server on port 9090
      Add route "/api/items/:id" with method "post" to other:
          If request["method"] is "POST"
              Write json response with {"id": get path parameter "id"} and status 201
          End
          Write error response with status 400 and message "bad"
      Write count of server["routes"]
      Set route to other["routes"][0]
      Write route["method"] plus " " plus route["path"]
      Set handler to route["handler"]
      Set answer to handler({"method": "POST", "params": {"id": "7"}})
      Write answer["status"]
      Write answer["body"]
      Write handler({"method": "GET", "params": {}})["status"]
      Write html response with "x"
    `,
    out: "8080\n1\nPOST /api/items/:id\n201\n" + '{"id":"7"}\n400\n' +
      '{"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}, "body": "x"}\n',
  },
  {
    name: "Write file without the write grant is a catchable PermissionError",
    src: poh`
      try this:
        Write file "out.txt" with "hello"
      if error as e
        Write error type of e
      end try
      Set r to write "x" into file at "out.json"
    `,
    out: "PermissionError\n",
    error: { code: "E_PERMISSION", match: /fs\.writeText/ },
  },
];
