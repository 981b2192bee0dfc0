"""A played Python cartridge: the main part sets the scene up, then the host calls update() once
per frame (60 per second of play). Left/right steer the paddle, X makes it fast; catching a
falling star scores and plays a tone. State across frames lives in module globals."""
import random

import pxos

W, H = 160, 120
LEFT, RIGHT, X = 16, 32, 1
SKY, PADDLE, STAR, INK = (pxos.rgba(16, 24, 40), pxos.rgba(64, 192, 255),
                          pxos.rgba(255, 220, 64), pxos.rgba(255, 255, 255))

pxos.gfx_canvas(W, H)
pxos.gfx_layerNew("play", 0)
paddle_x = W // 2 - 12
score = 0
stars = [[random.randrange(4, W - 4), -random.randrange(0, H)] for _ in range(3)]


def update():
    global paddle_x, score
    buttons = pxos.input_gamepad(0)
    speed = 4 if buttons & X else 2
    if buttons & LEFT:
        paddle_x = max(0, paddle_x - speed)
    if buttons & RIGHT:
        paddle_x = min(W - 24, paddle_x + speed)
    pxos.gfx_layerUse("play")
    pxos.gfx_clear(SKY)
    for star in stars:
        star[1] += 2
        if H - 12 <= star[1] <= H - 8 and paddle_x <= star[0] <= paddle_x + 24:
            score += 1
            pxos.sound_tone(440 + 40 * score, 6, 60, 0)
            star[1] = H  # caught: respawn below
        if star[1] >= H:
            star[0], star[1] = random.randrange(4, W - 4), -random.randrange(4, 40)
        if star[1] > 0:
            pxos.gfx_rect(star[0] - 1, star[1] - 1, 3, 3, STAR)
    pxos.gfx_rect(paddle_x, H - 10, 24, 4, PADDLE)
    pxos.gfx_text(2, 2, INK, f"score {score} frame {pxos.frame_count()}")


print("python-play: ready")
