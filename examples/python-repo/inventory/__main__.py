"""Entry point: python -m inventory, booted from the cartridge's bytecode."""
import importlib.resources
import sys

from . import VERSION, models
from .report import render_table

stock = importlib.resources.files("inventory").joinpath("stock.csv").read_text()
items = models.parse_stock(stock)
print(f"inventory {VERSION}: {len(items)} items")
print(render_table(items))
sources = [m.__file__ for m in sys.modules.values() if getattr(m, "__file__", "") and m.__file__.startswith("/cart/")]
print("modules from the archive:", ", ".join(sorted(s.removeprefix("/cart/") for s in sources)))
