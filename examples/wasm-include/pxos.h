/* pxos.h: the pxOS host calls for C programs compiled to wasm32-wasi. */
/* Generated from src/host/calls.ts by src/engines/wasm/bindings.ts: do not edit. */
#ifndef PXOS_H
#define PXOS_H
#include <stdint.h>

/* Negative statuses; success is >= 0 (for string/bytes results: the full length). */
#define PXOS_PERMISSION (-1) /* the grant does not allow this call (audited) */
#define PXOS_IO (-2) /* the file or request failed (missing file, refused connection, ...) */
#define PXOS_INVALID (-3) /* an argument was refused (bad colour, unknown layer, ...) */
#define PXOS_MEMORY (-4) /* a size limit would be exceeded */
#define PXOS_END (-5) /* end of input (console.readLine) */
#define PXOS_FAILED (-6) /* any other failure */

/* console.write(text: string) -> void. Write text to standard output (no newline added). */
__attribute__((import_module("pxos"), import_name("console_write")))
int32_t pxos_console_write(const void *text_ptr, int32_t text_len);
/* console.error(text: string) -> void. Write text to standard error (no newline added). */
__attribute__((import_module("pxos"), import_name("console_error")))
int32_t pxos_console_error(const void *text_ptr, int32_t text_len);
/* console.readLine() -> string. Read one line from standard input without its newline; null at end of input. */
__attribute__((import_module("pxos"), import_name("console_readLine")))
int32_t pxos_console_readLine(const void *out_ptr, int32_t out_cap);
/* cart.read(path: string) -> bytes. Read a file of the cartridge itself (always allowed, read-only). */
__attribute__((import_module("pxos"), import_name("cart_read")))
int32_t pxos_cart_read(const void *path_ptr, int32_t path_len, const void *out_ptr, int32_t out_cap);
/* clock.now() -> f64. Wall-clock time in ms since the Unix epoch; a virtual clock without the grant. */
__attribute__((import_module("pxos"), import_name("clock_now")))
double pxos_clock_now(void);
/* clock.monotonic() -> f64. Monotonic ms since the run started; virtual (1 ms per read) without the grant. */
__attribute__((import_module("pxos"), import_name("clock_monotonic")))
double pxos_clock_monotonic(void);
/* random.bytes(count: i32) -> bytes. Random bytes (at most 65536 a call); a seeded PRNG without the grant. */
__attribute__((import_module("pxos"), import_name("random_bytes")))
int32_t pxos_random_bytes(int32_t count, const void *out_ptr, int32_t out_cap);
/* process.exit(code: i32) -> never. End the program with an exit code (0–255). */
__attribute__((import_module("pxos"), import_name("process_exit")))
_Noreturn void pxos_process_exit(int32_t code);
/* fs.readText(path: string) -> string. Read a host file as UTF-8 text (path under a granted read root). */
__attribute__((import_module("pxos"), import_name("fs_readText")))
int32_t pxos_fs_readText(const void *path_ptr, int32_t path_len, const void *out_ptr, int32_t out_cap);
/* fs.writeText(path: string, text: string) -> void. Create or replace a host file with UTF-8 text (path under a granted write root). */
__attribute__((import_module("pxos"), import_name("fs_writeText")))
int32_t pxos_fs_writeText(const void *path_ptr, int32_t path_len, const void *text_ptr, int32_t text_len);
/* fs.appendText(path: string, text: string) -> void. Append UTF-8 text to a host file (path under a granted write root). */
__attribute__((import_module("pxos"), import_name("fs_appendText")))
int32_t pxos_fs_appendText(const void *path_ptr, int32_t path_len, const void *text_ptr, int32_t text_len);
/* fs.exists(path: string) -> bool. Whether a host file exists (path under a granted read root). */
__attribute__((import_module("pxos"), import_name("fs_exists")))
int32_t pxos_fs_exists(const void *path_ptr, int32_t path_len);
/* fs.list(path: string) -> string. Names in a host directory, sorted, one per line; directories end with `/`. */
__attribute__((import_module("pxos"), import_name("fs_list")))
int32_t pxos_fs_list(const void *path_ptr, int32_t path_len, const void *out_ptr, int32_t out_cap);
/* fs.mkdir(path: string) -> void. Create a host directory and any missing parents (under a granted write root). */
__attribute__((import_module("pxos"), import_name("fs_mkdir")))
int32_t pxos_fs_mkdir(const void *path_ptr, int32_t path_len);
/* fs.remove(path: string) -> void. Remove a host file or empty directory (under a granted write root). */
__attribute__((import_module("pxos"), import_name("fs_remove")))
int32_t pxos_fs_remove(const void *path_ptr, int32_t path_len);
/* fs.readBytes(path: string) -> bytes. Read a host file as bytes (path under a granted read root). */
__attribute__((import_module("pxos"), import_name("fs_readBytes")))
int32_t pxos_fs_readBytes(const void *path_ptr, int32_t path_len, const void *out_ptr, int32_t out_cap);
/* fs.writeBytes(path: string, data: bytes) -> void. Create or replace a host file with bytes (path under a granted write root). */
__attribute__((import_module("pxos"), import_name("fs_writeBytes")))
int32_t pxos_fs_writeBytes(const void *path_ptr, int32_t path_len, const void *data_ptr, int32_t data_len);
/* fs.stat(path: string) -> string. JSON `{type, size, mtimeMs, atimeMs, mode}` of a host path (`type` file, dir or other), null when missing; under a granted read root, or a write root where read is not granted. */
__attribute__((import_module("pxos"), import_name("fs_stat")))
int32_t pxos_fs_stat(const void *path_ptr, int32_t path_len, const void *out_ptr, int32_t out_cap);
/* fs.rename(from: string, to: string) -> void. Move a host file or directory (both paths under a granted write root). */
__attribute__((import_module("pxos"), import_name("fs_rename")))
int32_t pxos_fs_rename(const void *from_ptr, int32_t from_len, const void *to_ptr, int32_t to_len);
/* fs.checkWrite(path: string) -> void. Check that a host path is under a granted write root, touching nothing (refused: an error), so a file can be refused when opened and written when closed. */
__attribute__((import_module("pxos"), import_name("fs_checkWrite")))
int32_t pxos_fs_checkWrite(const void *path_ptr, int32_t path_len);
/* net.fetch(method: string, url: string, headers: string, body: string) -> string. HTTP request to a granted host: status line, `name: value` lines, blank line, body. */
__attribute__((import_module("pxos"), import_name("net_fetch")))
int32_t pxos_net_fetch(const void *method_ptr, int32_t method_len, const void *url_ptr, int32_t url_len, const void *headers_ptr, int32_t headers_len, const void *body_ptr, int32_t body_len, const void *out_ptr, int32_t out_cap);
/* net.listen(address: string) -> i32. Serve HTTP on a granted loopback `host:port`; answers a server id. */
__attribute__((import_module("pxos"), import_name("net_listen")))
int32_t pxos_net_listen(const void *address_ptr, int32_t address_len);
/* net.accept(server: i32) -> string. Wait for a request: id line, `METHOD target` line, `name: value` lines, blank line, body; null once the server is closed. */
__attribute__((import_module("pxos"), import_name("net_accept")))
int32_t pxos_net_accept(int32_t server, const void *out_ptr, int32_t out_cap);
/* net.respond(request: i32, status: i32, headers: string, body: string) -> void. Answer an accepted request (status 200–599, `name: value` header lines, body). */
__attribute__((import_module("pxos"), import_name("net_respond")))
int32_t pxos_net_respond(int32_t request, int32_t status, const void *headers_ptr, int32_t headers_len, const void *body_ptr, int32_t body_len);
/* net.close(server: i32) -> void. Stop a server; waiting requests get 503. */
__attribute__((import_module("pxos"), import_name("net_close")))
int32_t pxos_net_close(int32_t server);
/* gfx.canvas(width: i32, height: i32) -> void. Set the canvas size (1–4096 each). */
__attribute__((import_module("pxos"), import_name("gfx_canvas")))
int32_t pxos_gfx_canvas(int32_t width, int32_t height);
/* gfx.layerNew(name: string, z: i32) -> void. Create a layer at z-order z (the first layer becomes current). */
__attribute__((import_module("pxos"), import_name("gfx_layerNew")))
int32_t pxos_gfx_layerNew(const void *name_ptr, int32_t name_len, int32_t z);
/* gfx.layerUse(name: string) -> void. Make a layer the target of drawing. */
__attribute__((import_module("pxos"), import_name("gfx_layerUse")))
int32_t pxos_gfx_layerUse(const void *name_ptr, int32_t name_len);
/* gfx.layerDelete(name: string) -> void. Delete a layer and its contents. */
__attribute__((import_module("pxos"), import_name("gfx_layerDelete")))
int32_t pxos_gfx_layerDelete(const void *name_ptr, int32_t name_len);
/* gfx.layerOpacity(name: string, opacity: i32) -> void. Set layer opacity 0–255. */
__attribute__((import_module("pxos"), import_name("gfx_layerOpacity")))
int32_t pxos_gfx_layerOpacity(const void *name_ptr, int32_t name_len, int32_t opacity);
/* gfx.layerVisible(name: string, visible: bool) -> void. Show or hide a layer. */
__attribute__((import_module("pxos"), import_name("gfx_layerVisible")))
int32_t pxos_gfx_layerVisible(const void *name_ptr, int32_t name_len, int32_t visible);
/* gfx.clear(rgba: i32) -> void. Set every pixel of the current layer to a colour. */
__attribute__((import_module("pxos"), import_name("gfx_clear")))
int32_t pxos_gfx_clear(int32_t rgba);
/* gfx.pixel(x: i32, y: i32, rgba: i32) -> void. Blend one pixel. */
__attribute__((import_module("pxos"), import_name("gfx_pixel")))
int32_t pxos_gfx_pixel(int32_t x, int32_t y, int32_t rgba);
/* gfx.rect(x: i32, y: i32, w: i32, h: i32, rgba: i32) -> void. Blend a filled rectangle. */
__attribute__((import_module("pxos"), import_name("gfx_rect")))
int32_t pxos_gfx_rect(int32_t x, int32_t y, int32_t w, int32_t h, int32_t rgba);
/* gfx.line(x0: i32, y0: i32, x1: i32, y1: i32, rgba: i32) -> void. Blend a one-pixel line from (x0,y0) to (x1,y1), both ends included. */
__attribute__((import_module("pxos"), import_name("gfx_line")))
int32_t pxos_gfx_line(int32_t x0, int32_t y0, int32_t x1, int32_t y1, int32_t rgba);
/* gfx.text(x: i32, y: i32, rgba: i32, text: string) -> void. Blend text in the built-in 5×7 font (6×8 cells). */
__attribute__((import_module("pxos"), import_name("gfx_text")))
int32_t pxos_gfx_text(int32_t x, int32_t y, int32_t rgba, const void *text_ptr, int32_t text_len);
/* gfx.circle(cx: i32, cy: i32, r: i32, rgba: i32, filled: bool) -> void. Blend a circle (filled or outline). */
__attribute__((import_module("pxos"), import_name("gfx_circle")))
int32_t pxos_gfx_circle(int32_t cx, int32_t cy, int32_t r, int32_t rgba, int32_t filled);
/* gfx.present() -> void. End the frame: the renderer renders and stores it. */
__attribute__((import_module("pxos"), import_name("gfx_present")))
int32_t pxos_gfx_present(void);
/* input.gamepad(player: i32) -> i32. Buttons held by player 0–3 this frame (WASM-4 bits: 1 X, 2 Z, 16 left, 32 right, 64 up, 128 down). */
__attribute__((import_module("pxos"), import_name("input_gamepad")))
int32_t pxos_input_gamepad(int32_t player);
/* input.mouseX() -> i32. Mouse x in canvas pixels this frame. */
__attribute__((import_module("pxos"), import_name("input_mouseX")))
int32_t pxos_input_mouseX(void);
/* input.mouseY() -> i32. Mouse y in canvas pixels this frame. */
__attribute__((import_module("pxos"), import_name("input_mouseY")))
int32_t pxos_input_mouseY(void);
/* input.mouseButtons() -> i32. Mouse buttons held this frame (1 left, 2 right, 4 middle). */
__attribute__((import_module("pxos"), import_name("input_mouseButtons")))
int32_t pxos_input_mouseButtons(void);
/* input.keys() -> string. Text typed during this frame (empty when none). */
__attribute__((import_module("pxos"), import_name("input_keys")))
int32_t pxos_input_keys(const void *out_ptr, int32_t out_cap);
/* frame.count() -> i32. Frames completed so far (0 during the first update). */
__attribute__((import_module("pxos"), import_name("frame_count")))
int32_t pxos_frame_count(void);
/* sound.tone(frequency: i32, duration: i32, volume: i32, flags: i32) -> void. Play a tone (the WASM-4 `tone` model: packed frequency slide, ADSR frames, volume, channel/mode/pan flags). */
__attribute__((import_module("pxos"), import_name("sound_tone")))
int32_t pxos_sound_tone(int32_t frequency, int32_t duration, int32_t volume, int32_t flags);

#endif
