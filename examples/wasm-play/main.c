/* wasm-play: a played C program on the pxos imports (pxos.h). main() sets the scene up and
 * returns; the host then calls the exported update() once per frame. Player 1 steers a paddle,
 * X serves the ball again (with a tone); the score is printed when it changes. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "pxos.h"

#define W 160
#define H 120

static int paddle = 64, ball_x = 80, ball_y = 20, dx = 2, dy = 2, score = 0;

int main(void) {
  pxos_gfx_canvas(W, H);
  pxos_gfx_layerNew("court", 5, 0);
  puts("wasm-play: ready");
  return 0;
}

__attribute__((export_name("update"))) void update(void) {
  int32_t pad = pxos_input_gamepad(0);
  if (pad & 16) paddle -= 3; /* left */
  if (pad & 32) paddle += 3; /* right */
  if (paddle < 0) paddle = 0;
  if (paddle > W - 32) paddle = W - 32;
  if (pad & 1) { /* X: serve again */
    ball_x = 80;
    ball_y = 20;
    pxos_sound_tone(262 | (523 << 16), 8, 60, 2);
  }
  ball_x += dx;
  ball_y += dy;
  if (ball_x <= 0 || ball_x >= W - 4) dx = -dx;
  if (ball_y <= 0) dy = -dy;
  if (ball_y >= H - 12 && ball_x + 4 >= paddle && ball_x <= paddle + 32 && dy > 0) {
    dy = -dy;
    score++;
    printf("score %d at frame %d\n", score, (int)pxos_frame_count());
    fflush(stdout);
  }
  if (ball_y >= H) { ball_y = 20; dy = 2; }
  pxos_gfx_clear((int32_t)0x102030ffu);
  pxos_gfx_rect(paddle, H - 8, 32, 4, (int32_t)0x40c0ffffu);
  pxos_gfx_rect(ball_x, ball_y, 4, 4, (int32_t)0xffffffffu);
}
