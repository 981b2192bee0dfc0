/** Fuel and time errors say where the program was, in the one wording, on every tier. */
import { assertMatch } from "../../assert.ts";
import { poh, runOn } from "./helpers.ts";

const SPIN = poh`
Make spin with n
  While true
    Set n to n plus 1
  End
End
spin(1)
`;

for (const engine of ["ast", "vm", "vm-interpreted"] as const) {
  Deno.test(`poh (${engine}): E_FUEL names the file, the line and the function`, async () => {
    const outcome = await runOn(engine, SPIN, [], { fuel: 50_000 });
    assertMatch(outcome.error?.code ?? "", /^E_FUEL$/);
    assertMatch(
      outcome.error?.message ?? "",
      /^t\.poh:\d+: ran out of fuel: the budget of 50000 instructions is spent \(at function spin\); raise it with --fuel/,
    );
  });
}
