/* The wasm benchmark guest (bench/wasm_bench.ts). argv[1] picks the workload:
 *   fib       recursive fib(30)
 *   loop      a 10,000,000-iteration loop
 *   files     read /data/f0000.txt … /data/f0999.txt through WASI
 *   hostcalls 100,000 pxos clock_monotonic calls (a host-call round trip each)
 * Built at -O0 and -O2 by deno task examples:wasm. */
#include <stdio.h>
#include <string.h>
#include "pxos.h"

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
  const char *what = argc > 1 ? argv[1] : "fib";
  if (strcmp(what, "fib") == 0) {
    printf("%d\n", fib(30));
  } else if (strcmp(what, "loop") == 0) {
    volatile unsigned sink = 0;
    unsigned acc = 1;
    for (unsigned i = 0; i < 10000000u; i++) acc = acc * 1664525u + i;
    sink = acc;
    printf("%u\n", sink);
  } else if (strcmp(what, "files") == 0) {
    char path[32], buf[256];
    size_t total = 0;
    for (int i = 0; i < 1000; i++) {
      snprintf(path, sizeof path, "/data/f%04d.txt", i);
      FILE *f = fopen(path, "r");
      if (!f) { perror(path); return 1; }
      total += fread(buf, 1, sizeof buf, f);
      fclose(f);
    }
    printf("%zu\n", total);
  } else if (strcmp(what, "hostcalls") == 0) {
    double t = 0;
    for (int i = 0; i < 100000; i++) t += pxos_clock_monotonic();
    printf("%d\n", t > 0);
  }
  return 0;
}
