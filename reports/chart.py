"""The month-by-month chart, laid out on the server as SVG coordinates.

No JavaScript and no outside service: the template draws polylines from the
points worked out here. The same figures are shown in a table beside the
chart for screen reader users and anyone who prefers numbers.
"""

from dataclasses import dataclass
from decimal import Decimal

from packages.money import format_money

from .rules import MonthFigures

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 96, 16, 16, 48
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
TICKS = 4


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    top: int
    bottom_y: int
    right_x: int
    used: str  # "x,y x,y …" for <polyline points>
    spent: str
    even: str
    y_ticks: list[Tick]
    x_labels: list[tuple[float, str]]


def _nice_ceiling(value: Decimal) -> Decimal:
    """A round number at or above `value` for the top of the axis: 1, 2 or 5 × 10^n."""
    if value <= 0:
        return Decimal(1000)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def build_chart(rows: list[MonthFigures], budget: Decimal) -> Chart:
    top_value = _nice_ceiling(
        max([budget, *(r.cumulative_used for r in rows), *(r.cumulative_spent for r in rows)])
    )
    step_x = PLOT_W / len(rows) if rows else PLOT_W

    def x(n: int) -> float:
        return round(LEFT + n * step_x, 1)

    def y(value: Decimal) -> float:
        return round(TOP + PLOT_H - float(value / top_value) * PLOT_H, 1)

    def line(values: list[Decimal]) -> str:
        # Starts at zero on 1 April; each point is the running total at a month's end.
        points = [(x(0), y(Decimal(0)))] + [(x(n), y(v)) for n, v in enumerate(values, 1)]
        return " ".join(f"{px},{py}" for px, py in points)

    ticks = [
        Tick(y(top_value * n / TICKS), format_money(top_value * n / TICKS).removesuffix(".00"))
        for n in range(TICKS + 1)
    ]
    labels = [(round(x(n) + step_x / 2, 1), r.month.strftime("%b")) for n, r in enumerate(rows)]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        top=TOP,
        bottom_y=TOP + PLOT_H,
        right_x=LEFT + PLOT_W,
        used=line([r.cumulative_used for r in rows]),
        spent=line([r.cumulative_spent for r in rows]),
        even=line([r.even_spend for r in rows]),
        y_ticks=ticks,
        x_labels=labels,
    )
