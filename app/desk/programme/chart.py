"""The progress chart on a patient's page: an inline SVG drawn on the server.

Pain (0-10) is a line from enrolment through each check-in; sessions a week (0-7) are bars at
each check-in. Only numbers reach the SVG, so nothing a patient typed can end up in it.
"""

from dataclasses import dataclass

from markupsafe import Markup

from app.policy import CHECKIN_WEEKS

WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 44, 16, 40
WEEKS = CHECKIN_WEEKS[-1]  # the chart spans the programme, to its last check-in


@dataclass(frozen=True)
class Point:
    week: int
    pain: int
    sessions: int | None = None  # none at enrolment


def _x(week: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * week / WEEKS


def _y(value: float, top: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)


def progress_svg(points: list[Point]) -> Markup:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'class="progress-chart" role="img" aria-labelledby="chart-title chart-desc">',
        '<title id="chart-title">Pain and sessions across the six weeks</title>',
        f'<desc id="chart-desc">{_describe(points)}</desc>',
    ]
    for value in (0, 5, 10):
        y = _y(value, 10)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" class="axis" text-anchor="end">{value}</text>'
        )
    for value in (0, 7):
        y = _y(value, 7)
        parts.append(
            f'<text x="{WIDTH - RIGHT + 8}" y="{y + 4:.1f}" class="axis sessions">{value}</text>'
        )
    for week in range(WEEKS + 1):
        parts.append(
            f'<text x="{_x(week):.1f}" y="{HEIGHT - 18}" class="axis" text-anchor="middle">'
            f"{'Start' if week == 0 else f'Wk {week}'}</text>"
        )
    for point in points:
        if point.sessions is None:
            continue
        top = _y(point.sessions, 7)
        parts.append(
            f'<rect x="{_x(point.week) - 10:.1f}" y="{top:.1f}" width="20" '
            f'height="{_y(0, 7) - top:.1f}" class="sessions"/>'
        )
    if points:
        path = " ".join(f"{_x(p.week):.1f},{_y(p.pain, 10):.1f}" for p in points)
        parts.append(f'<polyline points="{path}" class="pain"/>')
        parts.extend(
            f'<circle cx="{_x(p.week):.1f}" cy="{_y(p.pain, 10):.1f}" r="4" class="pain"/>'
            for p in points
        )
    parts.append(
        f'<text x="{LEFT}" y="{HEIGHT - 2}" class="legend pain-legend">Line: pain (0-10)</text>'
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 2}" class="legend sessions-legend" '
        'text-anchor="end">Bars: days a week (0-7)</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def _describe(points: list[Point]) -> str:
    if not points:
        return "No answers yet."
    return "; ".join(
        f"{'start' if p.week == 0 else f'week {p.week}'}: pain {p.pain}"
        + ("" if p.sessions is None else f", {p.sessions} days a week")
        for p in points
    )
