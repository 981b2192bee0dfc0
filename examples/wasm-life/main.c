/* wasm-life: Conway's game of life in C, drawn through the pxos imports (pxos.h, generated from
 * the host-call table). Each generation is one frame: pxos boot writes it as a PNG (or an APNG
 * with --apng). */
#include <stdint.h>
#include <string.h>
#include "pxos.h"

#define W 48
#define H 32
#define CELL 4
#define GENERATIONS 24

static uint8_t grid[H][W], next[H][W];

static void place(const char *rows[], int n, int x0, int y0) {
  for (int y = 0; y < n; y++)
    for (int x = 0; rows[y][x]; x++) grid[y0 + y][x0 + x] = rows[y][x] == '#';
}

static int neighbours(int y, int x) {
  int n = 0;
  for (int dy = -1; dy <= 1; dy++)
    for (int dx = -1; dx <= 1; dx++)
      if (dx || dy) n += grid[(y + dy + H) % H][(x + dx + W) % W];
  return n;
}

static void text(int x, int y, uint32_t rgba, const char *s) {
  pxos_gfx_text(x, y, (int32_t)rgba, s, (int32_t)strlen(s));
}

int main(void) {
  const char *glider[] = {".#.", "..#", "###"};
  const char *pulsar_seed[] = {"###.###", "#.....#", "###.###"};
  place(glider, 3, 2, 2);
  place(glider, 3, 12, 4);
  place(pulsar_seed, 3, 26, 14);
  pxos_gfx_canvas(W * CELL, H * CELL + 10);
  pxos_gfx_layerNew("board", 5, 0);
  for (int gen = 0; gen < GENERATIONS; gen++) {
    pxos_gfx_clear((int32_t)0x101820ffu);
    int alive = 0;
    for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++)
        if (grid[y][x]) {
          alive++;
          pxos_gfx_rect(x * CELL, y * CELL, CELL - 1, CELL - 1, (int32_t)0x7cfc9cffu);
        }
    char label[32] = "gen ";
    label[4] = (char)('0' + gen / 10);
    label[5] = (char)('0' + gen % 10);
    label[6] = 0;
    text(1, H * CELL + 1, 0xffffffffu, label);
    if (pxos_gfx_present() < 0) return 1;
    for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++) {
        int n = neighbours(y, x);
        next[y][x] = n == 3 || (n == 2 && grid[y][x]);
      }
    memcpy(grid, next, sizeof grid);
    (void)alive;
  }
  return 0;
}
