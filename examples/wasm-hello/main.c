/* wasm-hello: ordinary C for wasm32-wasi. Prints, reads a file of its own cartridge (pre-opened
 * read-only at /cart), lists its arguments, reads HELLO_NAME from the environment when granted
 * (pxos boot --allow-env) and exits with a code. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  const char *name = getenv("HELLO_NAME");
  printf("Hello from C on %s!\n", name ? name : "pxOS");
  for (int i = 0; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);
  FILE *f = fopen("/cart/greeting.txt", "r");
  if (!f) {
    perror("/cart/greeting.txt");
    return 1;
  }
  char line[256];
  while (fgets(line, sizeof line, f)) printf("cart says: %s", line);
  fclose(f);
  /* The cartridge is read-only: this must fail. */
  FILE *w = fopen("/cart/greeting.txt", "w");
  printf("writing to /cart: %s\n", w ? "allowed (wrong!)" : "refused");
  return argc > 1 ? 3 : 0;
}
