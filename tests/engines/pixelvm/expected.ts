/** What each PixelVM example prints and returns (shared by the engine and boot tests). */
export const EXPECTED: Record<string, { stdout: string; exitCode: number }> = {
  countdown: { stdout: "5\n4\n3\n2\n1\n", exitCode: 0 },
  strings: {
    stdout: "Hello, pixels!\nHello from PixelVM memory!\npxOS has 4 letters\np.x.O.S.\n" +
      "Unicode: héllo ✓\n",
    exitCode: 0,
  },
  fib: {
    stdout: [
      0,
      1,
      1,
      2,
      3,
      5,
      8,
      13,
      21,
      34,
      55,
      89,
      144,
      233,
      377,
      610,
      987,
      1597,
      2584,
      4181,
      6765,
    ]
      .map((v, n) => `fib(${n}) = ${v}\n`).join(""),
    exitCode: 0,
  },
  primes: {
    stdout: "2 3 5 7 11 13 17 19 23 29 31 37 41 43 47 53 59 61 67 71 73 79 83 89 97\n" +
      "25 primes below 100\n",
    exitCode: 0,
  },
  modules: {
    stdout: "math module loaded\n49\n27\nboth modules' data survived linking\n",
    exitCode: 0,
  },
};
