"""Draws four frames through the pxos module (one function per host-call table row)."""
import pxos

W, H = 160, 120
SKY, GROUND, BALL, INK = pxos.rgba(40, 60, 120), pxos.rgba(40, 140, 60), pxos.rgba(240, 200, 40), pxos.rgba(255, 255, 255)

pxos.gfx_canvas(W, H)
pxos.gfx_layerNew("scene", 0)
pxos.gfx_layerNew("ball", 1)

for frame in range(4):
    pxos.gfx_layerUse("scene")
    pxos.gfx_clear(SKY)
    pxos.gfx_rect(0, H - 24, W, 24, GROUND)
    pxos.gfx_text(4, 4, INK, f"frame {frame}")
    pxos.gfx_layerUse("ball")
    pxos.gfx_clear(0)
    x = 20 + frame * 36
    y = H - 36 - (12 if frame % 2 else 0)
    pxos.gfx_circle(x, y, 10, BALL, True)
    pxos.gfx_line(x - 12, H - 24, x + 12, H - 24, INK)
    pxos.gfx_present()
    print(f"frame {frame}: ball at ({x}, {y})")
