"""One way of writing a figure on every page and register: 13,546 (thousands grouped, no
trailing .00 on a count), 1,234.5 (a decimal as it is), 63.7 (a percentage to one decimal)."""

from decimal import Decimal

EMPTY = "—"


def figure(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return f"{int(value):,}"
        return f"{value.normalize():,f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def percent(value) -> str:
    """A percentage (63.66 → 63.7); without the % sign, which the column's header carries."""
    if value is None or value == "":
        return EMPTY
    return f"{Decimal(str(value)):,.1f}"
