/**
 * WGSL for the WebGPU renderer. The formulas are the ones of `color.ts` and `render_cpu.ts`,
 * repeated in `u32`/`i32` arithmetic so the GPU produces the same bytes as the CPU.
 *
 * @module
 */

/** Command kinds in the uniform record (`Cmd.kind`). */
export const GPU_KIND = Object.freeze({
  set: 0,
  rect: 1,
  line: 2,
  text: 3,
  circle: 4,
  composite: 5,
  output: 6,
});

/** Workgroup size of every entry point. */
export const WORKGROUP = 64;

/** The shader module source. */
export const GFX_WGSL = /* wgsl */ `
struct Cmd {
  kind: u32, px: u32, count: u32, groupsX: u32,
  width: u32, height: u32, opacity: u32, pad: u32,
  a: i32, b: i32, c: i32, d: i32,
  e: i32, f: i32, g: i32, h: i32,
};

@group(0) @binding(0) var<uniform> cmd: Cmd;
@group(0) @binding(1) var<storage, read_write> layer: array<u32>;
@group(0) @binding(2) var<storage, read_write> frame: array<u32>;
@group(0) @binding(3) var<storage, read> glyphs: array<i32>;
@group(0) @binding(4) var<storage, read> font: array<u32>;
@group(0) @binding(5) var outTex: texture_storage_2d<rgba8uint, write>;

fn over(dst: u32, src: u32) -> u32 {
  let sa = src >> 24u;
  if (sa == 255u) { return src; }
  if (sa == 0u) { return dst; }
  let da = dst >> 24u;
  let ws = sa * 255u;
  let wd = da * (255u - sa);
  let t = ws + wd;
  let half = t >> 1u;
  let r = ((src & 255u) * ws + (dst & 255u) * wd + half) / t;
  let g = (((src >> 8u) & 255u) * ws + ((dst >> 8u) & 255u) * wd + half) / t;
  let b = (((src >> 16u) & 255u) * ws + ((dst >> 16u) & 255u) * wd + half) / t;
  let a = (t + 127u) / 255u;
  return r | (g << 8u) | (b << 16u) | (a << 24u);
}

fn withOpacity(p: u32, o: u32) -> u32 {
  if (o == 255u) { return p; }
  let a = ((p >> 24u) * o + 127u) / 255u;
  return (p & 0xffffffu) | (a << 24u);
}

fn floorDiv(a: i32, b: i32) -> i32 {
  let q = a / b;
  if ((a % b) != 0 && ((a < 0) != (b < 0))) { return q - 1; }
  return q;
}

fn roundDiv(p: i32, n: i32) -> i32 {
  return floorDiv(2 * p + n, 2 * n);
}

fn plot(x: i32, y: i32) {
  if (x < 0 || y < 0 || x >= i32(cmd.width) || y >= i32(cmd.height)) { return; }
  let i = u32(y) * cmd.width + u32(x);
  layer[i] = over(layer[i], cmd.px);
}

fn fontBit(glyph: i32, col: i32, row: i32) -> bool {
  let index = u32(glyph * 5 + col);
  let byte = (font[index >> 2u] >> ((index & 3u) * 8u)) & 255u;
  return ((byte >> u32(row)) & 1u) == 1u;
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let idx = gid.x + gid.y * cmd.groupsX * ${WORKGROUP}u;
  if (idx >= cmd.count) { return; }
  switch (cmd.kind) {
    case ${GPU_KIND.set}u: {
      layer[idx] = cmd.px;
    }
    case ${GPU_KIND.rect}u: {
      let w = u32(cmd.c);
      plot(cmd.a + i32(idx % w), cmd.b + i32(idx / w));
    }
    case ${GPU_KIND.line}u: {
      let dx = cmd.c - cmd.a;
      let dy = cmd.d - cmd.b;
      let n = max(abs(dx), abs(dy));
      let i = i32(idx);
      if (n == 0) {
        plot(cmd.a, cmd.b);
      } else {
        plot(cmd.a + roundDiv(i * dx, n), cmd.b + roundDiv(i * dy, n));
      }
    }
    case ${GPU_KIND.text}u: {
      let k = i32(idx / 35u);
      let p = i32(idx % 35u);
      let col = p / 7;
      let row = p % 7;
      let base = (cmd.a + k) * 3;
      if (fontBit(glyphs[base + 2], col, row)) {
        plot(glyphs[base] + col, glyphs[base + 1] + row);
      }
    }
    case ${GPU_KIND.circle}u: {
      let bw = u32(cmd.g);
      let x = cmd.e + i32(idx % bw);
      let y = cmd.f + i32(idx / bw);
      let r = cmd.c;
      let dx = x - cmd.a;
      let dy = y - cmd.b;
      let d = dx * dx + dy * dy;
      let outer = r * r + r;
      var inner = -1;
      if (r >= 1) { inner = (r - 1) * (r - 1) + (r - 1); }
      if (d <= outer && (cmd.d != 0 || d > inner)) { plot(x, y); }
    }
    case ${GPU_KIND.composite}u: {
      let src = layer[idx];
      if (src != 0u) { frame[idx] = over(frame[idx], withOpacity(src, cmd.opacity)); }
    }
    case ${GPU_KIND.output}u: {
      let p = frame[idx];
      let x = idx % cmd.width;
      let y = idx / cmd.width;
      textureStore(outTex, vec2<u32>(x, y),
        vec4<u32>(p & 255u, (p >> 8u) & 255u, (p >> 16u) & 255u, p >> 24u));
    }
    default: {}
  }
}
`;
