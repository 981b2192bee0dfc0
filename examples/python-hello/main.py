"""The Python hello cartridge: every import below comes from the archive or the stdlib."""
import json
import sys

from greeting import greet

with open("/cart/data/names.json", encoding="utf-8") as f:
    names = json.load(f)

for name in names:
    print(greet(name))
print(f"main module: {__file__}")
print(f"Python {sys.version_info.major}.{sys.version_info.minor}")
