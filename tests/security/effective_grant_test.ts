/**
 * Attack on honesty: `# granted: read ./data` printed while a deny removed it. Stopped by: the
 * grant decision drops what a deny covers, and the printed line is the effective grant.
 */
import { decideGrant, describeGrant, requestedGrant } from "../../src/host/grant.ts";
import { assertEquals } from "../assert.ts";

const request = requestedGrant({ read: ["./data"], write: ["./out"], net: ["*.example.com"] });

Deno.test("a deny covering a requested folder or host removes it from the grant and its line", () => {
  const grant = decideGrant(request, {
    yes: true,
    denyRead: ["./data"],
    denyNet: ["*.example.com"],
  });
  assertEquals(grant.read, []);
  assertEquals(grant.net, []);
  assertEquals(describeGrant(grant), ["write ./out"]);
});

Deno.test("a deny inside a granted folder or host pattern is shown with it", () => {
  const grant = decideGrant(request, {
    yes: true,
    denyRead: ["./data/secret"],
    denyWrite: ["./out/keep"],
    denyNet: ["api.example.com"],
  });
  assertEquals(describeGrant(grant), [
    "read ./data (except ./data/secret)",
    "write ./out (except ./out/keep)",
    "net *.example.com (except api.example.com)",
  ]);
});
