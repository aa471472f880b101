"""How a score is shown: one rounding everywhere (pages, dashboard, CSV).

Python's `round` rounds halves to even (12.5 -> 12) while Django's `floatformat` rounds them up
(12.5 -> 13): the same attempt read 12% on one page and 13% on another. Every percentage a person
reads goes through `percent`, which rounds halves up.
"""

from decimal import ROUND_HALF_UP, Decimal


def percent(value, total=None):
    """A whole percentage: `percent(1, 8)` for 1 of 8, or `percent(12.5)` for a percentage already
    computed (by SQL, say). Halves round up. None (nothing to score) stays None."""
    if total is not None:
        if not total:
            return None
        value = Decimal(value) * 100 / Decimal(total)
    if value is None:
        return None
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
