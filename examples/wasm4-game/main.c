/* wasm4-game: a WASM-4 cartridge in C, built against wasm4.h (the documented API, nothing of
 * pxOS): dodge the falling blocks with left/right, X jumps to the other side. It uses the memory
 * map (palette, draw colours, gamepad), rect, oval, line, hline, vline, blit, text, tone,
 * diskw/diskr (the best score) and tracef. */
#include "wasm4.h"

static const uint8_t ship[8] = {0x18, 0x3c, 0x7e, 0xff, 0xdb, 0x7e, 0x24, 0x42};

static int32_t x = 76;
static int32_t blocks[4][2];
static uint32_t seed = 12345, frames = 0, score = 0, best = 0, hits = 0;
static uint8_t previous = 0;

static uint32_t next_random(void) {
  seed = seed * 1103515245u + 12345u;
  return (seed >> 16) & 0x7fff;
}

static void number(uint32_t n, char *out) {
  char digits[11];
  int i = 0;
  do {
    digits[i++] = (char)('0' + n % 10);
    n /= 10;
  } while (n && i < 10);
  int j = 0;
  while (i) out[j++] = digits[--i];
  out[j] = 0;
}

WASM4_EXPORT(start) void start(void) {
  PALETTE[0] = 0x0f1020;
  PALETTE[1] = 0x3a7bd5;
  PALETTE[2] = 0xf4d35e;
  PALETTE[3] = 0xee6352;
  for (int i = 0; i < 4; i++) {
    blocks[i][0] = (int32_t)(next_random() % 150);
    blocks[i][1] = -(int32_t)(i * 40);
  }
  if (diskr(&best, sizeof best) != sizeof best) best = 0;
  tracef("wasm4-game: best %d", best);
}

WASM4_EXPORT(update) void update(void) {
  uint8_t pad = *GAMEPAD1;
  uint8_t pressed = pad & (pad ^ previous);
  previous = pad;
  if (pad & BUTTON_LEFT) x -= 2;
  if (pad & BUTTON_RIGHT) x += 2;
  if (pressed & BUTTON_1) {
    x = 152 - x;
    tone(300 | (600u << 16), 6, 50, TONE_TRIANGLE);
  }
  if (x < 0) x = 0;
  if (x > 152) x = 152;

  *DRAW_COLORS = 0x22;
  oval(120, 12, 24, 24); /* a moon */
  *DRAW_COLORS = 2;
  hline(0, 150, 160);
  line(0, 159, 159, 151);
  vline(80, 151, 9);
  for (int i = 0; i < 4; i++) {
    blocks[i][1] += 2 + (int32_t)(score / 10);
    if (blocks[i][1] > 160) {
      blocks[i][1] = -8;
      blocks[i][0] = (int32_t)(next_random() % 150);
      score++;
    }
    *DRAW_COLORS = 0x34;
    rect(blocks[i][0], blocks[i][1], 10, 8);
    if (blocks[i][1] + 8 > 140 && blocks[i][1] < 148 && blocks[i][0] < x + 8 &&
        blocks[i][0] + 10 > x) {
      hits++;
      if (score > best) {
        best = score;
        diskw(&best, sizeof best);
      }
      tracef("hit at frame %d, score %d", frames, score);
      tone(120, 10 << 8, 80, TONE_NOISE);
      score = 0;
      blocks[i][1] = -8;
    }
  }
  *DRAW_COLORS = 0x30;
  blit(ship, x, 140, 8, 8, BLIT_1BPP);
  char buf[12];
  number(score, buf);
  *DRAW_COLORS = 0x03;
  text("SCORE", 2, 2);
  text(buf, 46, 2);
  frames++;
}
