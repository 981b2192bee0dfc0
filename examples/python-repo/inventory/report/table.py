"""A plain-text table."""
from ..models import Item


def money(cents):
    return f"{cents // 100}.{cents % 100:02d}"


def render_table(items: list[Item]):
    width = max(len(i.name) for i in items)
    lines = [f"{i.name:<{width}}  {i.count:>3} x {money(i.price_cents):>6} = {money(i.value_cents):>7}" for i in items]
    total = sum(i.value_cents for i in items)
    lines.append(f"{'total':<{width}}  {money(total):>21}")
    return "\n".join(lines)
