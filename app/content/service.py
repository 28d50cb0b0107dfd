"""Loading the default content, reading it for emails, and the osteopath's edits."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models.content import Programme, SeriesPart
from app.timeutil import utcnow

DATA_DIR = Path(__file__).parent / "data"
PART_FIELDS = (
    "series", "number", "title", "summary", "article_url", "placeholder", "triggers",
    "problems", "is_default",
)
PROGRAMME_FIELDS = (
    "title", "introduction", "steps", "evenness", "dose", "progression", "equipment",
    "gym_alternatives",
)


@dataclass
class LoadReport:
    added: int = 0
    refreshed: int = 0
    kept_edits: int = 0

    def __str__(self) -> str:
        return (
            f"added {self.added}, refreshed {self.refreshed}, "
            f"left {self.kept_edits} edited on the desk"
        )


def _clean(value):
    return value.strip() if isinstance(value, str) else value


def _upsert(model, slug: str, values: dict, report: LoadReport) -> None:
    row = db.session.execute(select(model).where(model.slug == slug)).scalar_one_or_none()
    if row is None:
        db.session.add(model(slug=slug, **values))
        report.added += 1
    elif row.edited_at is not None:
        report.kept_edits += 1
    else:
        changed = False
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed = True
        report.refreshed += changed


def load_defaults(data_dir: Path = DATA_DIR) -> LoadReport:
    """Add missing content from the data files; refresh only what nobody has edited."""
    report = LoadReport()
    series = tomllib.loads((data_dir / "series.toml").read_text(encoding="utf-8"))
    for part in series["part"]:
        values = {name: _clean(part[name]) for name in PART_FIELDS}
        _upsert(SeriesPart, part["slug"], values, report)
    programme = tomllib.loads((data_dir / "programme.toml").read_text(encoding="utf-8"))
    values = {name: _clean(programme[name]) for name in PROGRAMME_FIELDS}
    values["steps"] = [_clean(step) for step in values["steps"]]
    _upsert(Programme, programme["slug"], values, report)
    db.session.commit()
    return report


def all_parts() -> list[SeriesPart]:
    return list(
        db.session.execute(select(SeriesPart).order_by(SeriesPart.series, SeriesPart.number))
        .scalars()
    )


def parts_by_slug(slugs: list[str]) -> list[SeriesPart]:
    found = {part.slug: part for part in all_parts() if part.slug in slugs}
    return [found[slug] for slug in slugs if slug in found]


def current_programme() -> Programme | None:
    return db.session.execute(select(Programme).order_by(Programme.id)).scalars().first()


def mark_edited(item: SeriesPart | Programme, editor: str) -> None:
    item.edited_at = utcnow()
    item.edited_by = editor


def save_edit(item: SeriesPart | Programme, values: dict, editor: str) -> None:
    """The osteopath's edit: saved, and from now on safe from `flask content load`."""
    for name, value in values.items():
        setattr(item, name, value)
    mark_edited(item, editor)
    db.session.commit()
