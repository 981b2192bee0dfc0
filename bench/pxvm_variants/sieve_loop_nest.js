// The pxVM sieve (sieveProgram(28000, 40)) as a hand-written "loop nest": the compiled tier's
// laps verbatim, each loop nest as nested JS loops. Not correct in general (fixed start, no slices);
// timed by: deno run -A bench/pxvm_module_ab.ts ab sieve 9 <dump> bench/pxvm_variants/sieve_loop_nest.js
(function () {
  return function loopNest(s, mem, _view, _indexOf) {
    "use strict";
    let exit = 0,
      ip = 0,
      r0 = 0,
      r1 = 0,
      r2 = 0,
      r3 = 0,
      r4 = 0,
      r5 = 0,
      r6 = 0,
      r7 = 0,
      fa = 0,
      fb = 0,
      budget = 1e9;
    out: for (;;) {
      switch (ip) {
        case 0:
          r7 = 40;
          r4 = 28000;
          r5 = 32768;
          ip = 3;
          continue out;
        case 3: {
          r1 = 0;
          r0 = 0;
          // clear laps
          b5: for (;;) {
            if (budget >= 20 && r1 >>> 0 <= 32767 && r4 >>> 0 <= 32768 && r5 >>> 0 <= 32768) {
              let g = (budget / 20) | 0;
              budget -= 20 * g;
              w5: for (;;) {
                u0: {
                  r6 = (r5 + r1) | 0;
                  mem[r6] = r0;
                  r1 = (r1 + 1) | 0;
                  fa = r1;
                  fb = r4;
                  if (fa < fb) break u0;
                  {
                    budget += 15 + 20 * (g - 1);
                    break w5;
                  }
                }
                u1: {
                  r6 = (r5 + r1) | 0;
                  mem[r6] = r0;
                  r1 = (r1 + 1) | 0;
                  fa = r1;
                  fb = r4;
                  if (fa < fb) break u1;
                  {
                    budget += 10 + 20 * (g - 1);
                    break w5;
                  }
                }
                u2: {
                  r6 = (r5 + r1) | 0;
                  mem[r6] = r0;
                  r1 = (r1 + 1) | 0;
                  fa = r1;
                  fb = r4;
                  if (fa < fb) break u2;
                  {
                    budget += 5 + 20 * (g - 1);
                    break w5;
                  }
                }
                r6 = (r5 + r1) | 0;
                mem[r6] = r0;
                r1 = (r1 + 1) | 0;
                fa = r1;
                fb = r4;
                if (fa < fb) {
                  if (--g === 0) continue b5;
                  continue w5;
                }
                {
                  budget += 0 + 20 * (g - 1);
                  break w5;
                }
              }
              break b5;
            }
            exit = 0;
            ip = 5;
            break out;
          }
          ip = 10;
          continue out;
        }
        case 10: {
          r1 = 2;
          r0 = 1;
          for (;;) {
            budget -= 3;
            r3 = Math.imul(r1, r1);
            fa = r3;
            fb = r4;
            if (fa >= fb) break;
            budget -= 3;
            r6 = (r5 + r1) | 0;
            if ((r6 >>> 0) > 65535) throw 2;
            r6 = mem[r6];
            if (r6 === 0) {
              budget -= 5;
              r6 = (r5 + r3) | 0;
              if ((r6 >>> 0) > 65535) throw 3;
              mem[r6] = r0;
              r3 = (r3 + r1) | 0;
              fa = r3;
              fb = r4;
              if (fa < fb) {
                b18: for (;;) {
                  if (
                    budget >= 20 && r1 >>> 0 <= 32768 && r3 >>> 0 <= 32767 && r4 >>> 0 <= 32768 &&
                    r5 >>> 0 <= 32768
                  ) {
                    let g = (budget / 20) | 0;
                    budget -= 20 * g;
                    w18: for (;;) {
                      u0: {
                        r6 = (r5 + r3) | 0;
                        mem[r6] = r0;
                        r3 = (r3 + r1) | 0;
                        fa = r3;
                        fb = r4;
                        if (fa < fb) break u0;
                        {
                          budget += 15 + 20 * (g - 1);
                          break w18;
                        }
                      }
                      u1: {
                        r6 = (r5 + r3) | 0;
                        mem[r6] = r0;
                        r3 = (r3 + r1) | 0;
                        fa = r3;
                        fb = r4;
                        if (fa < fb) break u1;
                        {
                          budget += 10 + 20 * (g - 1);
                          break w18;
                        }
                      }
                      u2: {
                        r6 = (r5 + r3) | 0;
                        mem[r6] = r0;
                        r3 = (r3 + r1) | 0;
                        fa = r3;
                        fb = r4;
                        if (fa < fb) break u2;
                        {
                          budget += 5 + 20 * (g - 1);
                          break w18;
                        }
                      }
                      r6 = (r5 + r3) | 0;
                      mem[r6] = r0;
                      r3 = (r3 + r1) | 0;
                      fa = r3;
                      fb = r4;
                      if (fa < fb) {
                        if (--g === 0) continue b18;
                        continue w18;
                      }
                      {
                        budget += 0 + 20 * (g - 1);
                        break w18;
                      }
                    }
                    break b18;
                  }
                  exit = 0;
                  ip = 18;
                  break out;
                }
              }
            }
            budget -= 2;
            r1 = (r1 + 1) | 0;
          }
          ip = 25;
          continue out;
        }
        case 25: {
          budget -= 2;
          r1 = 2;
          r2 = 0;
          b27: for (;;) {
            if (budget >= 40 && r1 >>> 0 <= 32767 && r4 >>> 0 <= 32768 && r5 >>> 0 <= 32768) {
              let g = (budget / 40) | 0;
              budget -= 24 * g;
              w27: for (;;) {
                u0: {
                  r6 = (r5 + r1) | 0;
                  r6 = mem[r6];
                  if (r6 !== 0) {
                    {
                      r1 = (r1 + 1) | 0;
                      fa = r1;
                      fb = r4;
                      if (fa < fb) break u0;
                      {
                        budget += 18 + 24 * (g - 1);
                        break w27;
                      }
                    }
                  }
                  {
                    r2 = (r2 + 1) | 0;
                    {
                      budget -= 1;
                      r1 = (r1 + 1) | 0;
                      fa = r1;
                      fb = r4;
                      if (fa < fb) break u0;
                      {
                        budget += 18 + 24 * (g - 1);
                        break w27;
                      }
                    }
                  }
                }
                u1: {
                  r6 = (r5 + r1) | 0;
                  r6 = mem[r6];
                  if (r6 !== 0) {
                    {
                      r1 = (r1 + 1) | 0;
                      fa = r1;
                      fb = r4;
                      if (fa < fb) break u1;
                      {
                        budget += 12 + 24 * (g - 1);
                        break w27;
                      }
                    }
                  }
                  {
                    r2 = (r2 + 1) | 0;
                    {
                      budget -= 1;
                      r1 = (r1 + 1) | 0;
                      fa = r1;
                      fb = r4;
                      if (fa < fb) break u1;
                      {
                        budget += 12 + 24 * (g - 1);
                        break w27;
                      }
                    }
                  }
                }
                u2: {
                  r6 = (r5 + r1) | 0;
                  r6 = mem[r6];
                  if (r6 !== 0) {
                    {
                      r1 = (r1 + 1) | 0;
                      fa = r1;
                      fb = r4;
                      if (fa < fb) break u2;
                      {
                        budget += 6 + 24 * (g - 1);
                        break w27;
                      }
                    }
                  }
                  {
                    r2 = (r2 + 1) | 0;
                    {
                      budget -= 1;
                      r1 = (r1 + 1) | 0;
                      fa = r1;
                      fb = r4;
                      if (fa < fb) break u2;
                      {
                        budget += 6 + 24 * (g - 1);
                        break w27;
                      }
                    }
                  }
                }
                r6 = (r5 + r1) | 0;
                r6 = mem[r6];
                if (r6 !== 0) {
                  {
                    r1 = (r1 + 1) | 0;
                    fa = r1;
                    fb = r4;
                    if (fa < fb) {
                      if (--g === 0) continue b27;
                      continue w27;
                    }
                    {
                      budget += 0 + 24 * (g - 1);
                      break w27;
                    }
                  }
                }
                {
                  r2 = (r2 + 1) | 0;
                  {
                    budget -= 1;
                    r1 = (r1 + 1) | 0;
                    fa = r1;
                    fb = r4;
                    if (fa < fb) {
                      if (--g === 0) continue b27;
                      continue w27;
                    }
                    {
                      budget += 0 + 24 * (g - 1);
                      break w27;
                    }
                  }
                }
              }
              break b27;
            }
            exit = 0;
            ip = 27;
            break out;
          }
          ip = 34;
          continue out;
        }
        case 34:
          budget -= 2;
          r7 = (r7 - 1) | 0;
          if (r7 !== 0) {
            ip = 3;
            continue out;
          }
          ip = 37;
          exit = 0;
          break out;
        default:
          break out;
      }
    }
    s.regs[2] = r2;
    s.regs[1] = r2;
    s.budget = budget;
    s.ip = ip;
    if (exit) return 5;
    return 0;
  };
})();
