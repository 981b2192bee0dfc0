/* wasm4.h: the WASM-4 API as its public documentation describes it (wasm4.org/docs), written
 * for pxOS's test carts: a cartridge built against it runs unchanged on WASM-4 and on pxOS's
 * WASM-4 profile. Build: clang --target=wasm32 -nostdlib -Wl,--no-entry -Wl,--import-memory
 * -Wl,--initial-memory=65536 -Wl,--max-memory=65536 -Wl,--global-base=6560
 * -Wl,-zstack-size=8192 -O2 -o cart.wasm main.c */
#pragma once
#include <stdint.h>

#define WASM4_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))
#define WASM4_EXPORT(name) __attribute__((export_name(#name)))

/* The memory map. */
#define PALETTE ((uint32_t *)0x04)
#define DRAW_COLORS ((uint16_t *)0x14)
#define GAMEPAD1 ((const uint8_t *)0x16)
#define GAMEPAD2 ((const uint8_t *)0x17)
#define GAMEPAD3 ((const uint8_t *)0x18)
#define GAMEPAD4 ((const uint8_t *)0x19)
#define MOUSE_X ((const int16_t *)0x1a)
#define MOUSE_Y ((const int16_t *)0x1c)
#define MOUSE_BUTTONS ((const uint8_t *)0x1e)
#define SYSTEM_FLAGS ((uint8_t *)0x1f)
#define NETPLAY ((const uint8_t *)0x20)
#define FRAMEBUFFER ((uint8_t *)0xa0)
#define SCREEN_SIZE 160

#define BUTTON_1 1
#define BUTTON_2 2
#define BUTTON_LEFT 16
#define BUTTON_RIGHT 32
#define BUTTON_UP 64
#define BUTTON_DOWN 128
#define MOUSE_LEFT 1
#define MOUSE_RIGHT 2
#define MOUSE_MIDDLE 4
#define SYSTEM_PRESERVE_FRAMEBUFFER 1
#define SYSTEM_HIDE_GAMEPAD_OVERLAY 2

#define BLIT_1BPP 0
#define BLIT_2BPP 1
#define BLIT_FLIP_X 2
#define BLIT_FLIP_Y 4
#define BLIT_ROTATE 8

#define TONE_PULSE1 0
#define TONE_PULSE2 1
#define TONE_TRIANGLE 2
#define TONE_NOISE 3
#define TONE_MODE1 0
#define TONE_MODE2 4
#define TONE_MODE3 8
#define TONE_MODE4 12
#define TONE_PAN_LEFT 16
#define TONE_PAN_RIGHT 32
#define TONE_NOTE_MODE 64

WASM4_IMPORT(blit) void blit(const uint8_t *sprite, int32_t x, int32_t y, uint32_t width,
                             uint32_t height, uint32_t flags);
WASM4_IMPORT(blitSub) void blitSub(const uint8_t *sprite, int32_t x, int32_t y, uint32_t width,
                                   uint32_t height, uint32_t srcX, uint32_t srcY,
                                   uint32_t stride, uint32_t flags);
WASM4_IMPORT(line) void line(int32_t x1, int32_t y1, int32_t x2, int32_t y2);
WASM4_IMPORT(hline) void hline(int32_t x, int32_t y, uint32_t len);
WASM4_IMPORT(vline) void vline(int32_t x, int32_t y, uint32_t len);
WASM4_IMPORT(oval) void oval(int32_t x, int32_t y, uint32_t width, uint32_t height);
WASM4_IMPORT(rect) void rect(int32_t x, int32_t y, uint32_t width, uint32_t height);
WASM4_IMPORT(text) void text(const char *str, int32_t x, int32_t y);
WASM4_IMPORT(textUtf8) void textUtf8(const char *str, uint32_t byteLength, int32_t x, int32_t y);
WASM4_IMPORT(tone) void tone(uint32_t frequency, uint32_t duration, uint32_t volume,
                             uint32_t flags);
WASM4_IMPORT(diskr) uint32_t diskr(void *dest, uint32_t size);
WASM4_IMPORT(diskw) uint32_t diskw(const void *src, uint32_t size);
WASM4_IMPORT(trace) void trace(const char *str);
WASM4_IMPORT(tracef) void tracef(const char *fmt, ...);
