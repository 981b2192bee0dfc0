"""Items and stock."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    name: str
    price_cents: int
    count: int

    @property
    def value_cents(self):
        return self.price_cents * self.count


def parse_stock(text):
    """Reads `name,price_cents,count` lines."""
    items = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            name, price, count = line.split(",")
            items.append(Item(name.strip(), int(price), int(count)))
    return items
