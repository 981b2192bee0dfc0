"""Reports over the stock."""
from .table import render_table

__all__ = ["render_table"]
