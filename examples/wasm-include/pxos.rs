//! pxos.rs: the pxOS host calls for Rust programs compiled to wasm32-wasi.
//! Generated from src/host/calls.ts by src/engines/wasm/bindings.ts: do not edit.
#![allow(dead_code)]

/// Negative statuses; success is >= 0 (for string/bytes results: the full length).
pub const PERMISSION: i32 = -1; // the grant does not allow this call (audited)
pub const IO: i32 = -2; // the file or request failed (missing file, refused connection, ...)
pub const INVALID: i32 = -3; // an argument was refused (bad colour, unknown layer, ...)
pub const MEMORY: i32 = -4; // a size limit would be exceeded
pub const END: i32 = -5; // end of input (console.readLine)
pub const FAILED: i32 = -6; // any other failure

#[link(wasm_import_module = "pxos")]
extern "C" {
    /// console.write(text: string) -> void. Write text to standard output (no newline added).
    pub fn console_write(text_ptr: *const u8, text_len: i32) -> i32;
    /// console.error(text: string) -> void. Write text to standard error (no newline added).
    pub fn console_error(text_ptr: *const u8, text_len: i32) -> i32;
    /// console.readLine() -> string. Read one line from standard input without its newline; null at end of input.
    pub fn console_readLine(out_ptr: *mut u8, out_cap: i32) -> i32;
    /// cart.read(path: string) -> bytes. Read a file of the cartridge itself (always allowed, read-only).
    pub fn cart_read(path_ptr: *const u8, path_len: i32, out_ptr: *mut u8, out_cap: i32) -> i32;
    /// clock.now() -> f64. Wall-clock time in ms since the Unix epoch; a virtual clock without the grant.
    pub fn clock_now() -> f64;
    /// clock.monotonic() -> f64. Monotonic ms since the run started; virtual (1 ms per read) without the grant.
    pub fn clock_monotonic() -> f64;
    /// random.bytes(count: i32) -> bytes. Random bytes (at most 65536 a call); a seeded PRNG without the grant.
    pub fn random_bytes(count: i32, out_ptr: *mut u8, out_cap: i32) -> i32;
    /// process.exit(code: i32) -> never. End the program with an exit code (0–255).
    pub fn process_exit(code: i32) -> !;
    /// fs.readText(path: string) -> string. Read a host file as UTF-8 text (path under a granted read root).
    pub fn fs_readText(path_ptr: *const u8, path_len: i32, out_ptr: *mut u8, out_cap: i32) -> i32;
    /// fs.writeText(path: string, text: string) -> void. Create or replace a host file with UTF-8 text (path under a granted write root).
    pub fn fs_writeText(path_ptr: *const u8, path_len: i32, text_ptr: *const u8, text_len: i32) -> i32;
    /// fs.appendText(path: string, text: string) -> void. Append UTF-8 text to a host file (path under a granted write root).
    pub fn fs_appendText(path_ptr: *const u8, path_len: i32, text_ptr: *const u8, text_len: i32) -> i32;
    /// fs.exists(path: string) -> bool. Whether a host file exists (path under a granted read root).
    pub fn fs_exists(path_ptr: *const u8, path_len: i32) -> i32;
    /// fs.list(path: string) -> string. Names in a host directory, sorted, one per line; directories end with `/`.
    pub fn fs_list(path_ptr: *const u8, path_len: i32, out_ptr: *mut u8, out_cap: i32) -> i32;
    /// fs.mkdir(path: string) -> void. Create a host directory and any missing parents (under a granted write root).
    pub fn fs_mkdir(path_ptr: *const u8, path_len: i32) -> i32;
    /// fs.remove(path: string) -> void. Remove a host file or empty directory (under a granted write root).
    pub fn fs_remove(path_ptr: *const u8, path_len: i32) -> i32;
    /// fs.readBytes(path: string) -> bytes. Read a host file as bytes (path under a granted read root).
    pub fn fs_readBytes(path_ptr: *const u8, path_len: i32, out_ptr: *mut u8, out_cap: i32) -> i32;
    /// fs.writeBytes(path: string, data: bytes) -> void. Create or replace a host file with bytes (path under a granted write root).
    pub fn fs_writeBytes(path_ptr: *const u8, path_len: i32, data_ptr: *const u8, data_len: i32) -> i32;
    /// fs.stat(path: string) -> string. JSON `{type, size, mtimeMs, atimeMs, mode}` of a host path (`type` file, dir or other), null when missing; under a granted read root, or a write root where read is not granted.
    pub fn fs_stat(path_ptr: *const u8, path_len: i32, out_ptr: *mut u8, out_cap: i32) -> i32;
    /// fs.rename(from: string, to: string) -> void. Move a host file or directory (both paths under a granted write root).
    pub fn fs_rename(from_ptr: *const u8, from_len: i32, to_ptr: *const u8, to_len: i32) -> i32;
    /// fs.checkWrite(path: string) -> void. Check that a host path is under a granted write root, touching nothing (refused: an error), so a file can be refused when opened and written when closed.
    pub fn fs_checkWrite(path_ptr: *const u8, path_len: i32) -> i32;
    /// net.fetch(method: string, url: string, headers: string, body: string) -> string. HTTP request to a granted host: status line, `name: value` lines, blank line, body.
    pub fn net_fetch(method_ptr: *const u8, method_len: i32, url_ptr: *const u8, url_len: i32, headers_ptr: *const u8, headers_len: i32, body_ptr: *const u8, body_len: i32, out_ptr: *mut u8, out_cap: i32) -> i32;
    /// net.listen(address: string) -> i32. Serve HTTP on a granted loopback `host:port`; answers a server id.
    pub fn net_listen(address_ptr: *const u8, address_len: i32) -> i32;
    /// net.accept(server: i32) -> string. Wait for a request: id line, `METHOD target` line, `name: value` lines, blank line, body; null once the server is closed.
    pub fn net_accept(server: i32, out_ptr: *mut u8, out_cap: i32) -> i32;
    /// net.respond(request: i32, status: i32, headers: string, body: string) -> void. Answer an accepted request (status 200–599, `name: value` header lines, body).
    pub fn net_respond(request: i32, status: i32, headers_ptr: *const u8, headers_len: i32, body_ptr: *const u8, body_len: i32) -> i32;
    /// net.close(server: i32) -> void. Stop a server; waiting requests get 503.
    pub fn net_close(server: i32) -> i32;
    /// gfx.canvas(width: i32, height: i32) -> void. Set the canvas size (1–4096 each).
    pub fn gfx_canvas(width: i32, height: i32) -> i32;
    /// gfx.layerNew(name: string, z: i32) -> void. Create a layer at z-order z (the first layer becomes current).
    pub fn gfx_layerNew(name_ptr: *const u8, name_len: i32, z: i32) -> i32;
    /// gfx.layerUse(name: string) -> void. Make a layer the target of drawing.
    pub fn gfx_layerUse(name_ptr: *const u8, name_len: i32) -> i32;
    /// gfx.layerDelete(name: string) -> void. Delete a layer and its contents.
    pub fn gfx_layerDelete(name_ptr: *const u8, name_len: i32) -> i32;
    /// gfx.layerOpacity(name: string, opacity: i32) -> void. Set layer opacity 0–255.
    pub fn gfx_layerOpacity(name_ptr: *const u8, name_len: i32, opacity: i32) -> i32;
    /// gfx.layerVisible(name: string, visible: bool) -> void. Show or hide a layer.
    pub fn gfx_layerVisible(name_ptr: *const u8, name_len: i32, visible: i32) -> i32;
    /// gfx.clear(rgba: i32) -> void. Set every pixel of the current layer to a colour.
    pub fn gfx_clear(rgba: i32) -> i32;
    /// gfx.pixel(x: i32, y: i32, rgba: i32) -> void. Blend one pixel.
    pub fn gfx_pixel(x: i32, y: i32, rgba: i32) -> i32;
    /// gfx.rect(x: i32, y: i32, w: i32, h: i32, rgba: i32) -> void. Blend a filled rectangle.
    pub fn gfx_rect(x: i32, y: i32, w: i32, h: i32, rgba: i32) -> i32;
    /// gfx.line(x0: i32, y0: i32, x1: i32, y1: i32, rgba: i32) -> void. Blend a one-pixel line from (x0,y0) to (x1,y1), both ends included.
    pub fn gfx_line(x0: i32, y0: i32, x1: i32, y1: i32, rgba: i32) -> i32;
    /// gfx.text(x: i32, y: i32, rgba: i32, text: string) -> void. Blend text in the built-in 5×7 font (6×8 cells).
    pub fn gfx_text(x: i32, y: i32, rgba: i32, text_ptr: *const u8, text_len: i32) -> i32;
    /// gfx.circle(cx: i32, cy: i32, r: i32, rgba: i32, filled: bool) -> void. Blend a circle (filled or outline).
    pub fn gfx_circle(cx: i32, cy: i32, r: i32, rgba: i32, filled: i32) -> i32;
    /// gfx.present() -> void. End the frame: the renderer renders and stores it.
    pub fn gfx_present() -> i32;
    /// input.gamepad(player: i32) -> i32. Buttons held by player 0–3 this frame (WASM-4 bits: 1 X, 2 Z, 16 left, 32 right, 64 up, 128 down).
    pub fn input_gamepad(player: i32) -> i32;
    /// input.mouseX() -> i32. Mouse x in canvas pixels this frame.
    pub fn input_mouseX() -> i32;
    /// input.mouseY() -> i32. Mouse y in canvas pixels this frame.
    pub fn input_mouseY() -> i32;
    /// input.mouseButtons() -> i32. Mouse buttons held this frame (1 left, 2 right, 4 middle).
    pub fn input_mouseButtons() -> i32;
    /// input.keys() -> string. Text typed during this frame (empty when none).
    pub fn input_keys(out_ptr: *mut u8, out_cap: i32) -> i32;
    /// frame.count() -> i32. Frames completed so far (0 during the first update).
    pub fn frame_count() -> i32;
    /// sound.tone(frequency: i32, duration: i32, volume: i32, flags: i32) -> void. Play a tone (the WASM-4 `tone` model: packed frequency slide, ADSR frames, volume, channel/mode/pan flags).
    pub fn sound_tone(frequency: i32, duration: i32, volume: i32, flags: i32) -> i32;
}
