"""What the osteopath writes: the article series' parts and the home programme."""

from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

from .types import UTCDateTime


class EditableContent:
    """Columns every piece of content shares: who last edited it on the desk, and when.

    `edited_at` set means the osteopath has changed it, so loading the data files leaves it be.
    """

    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_by: Mapped[str | None] = mapped_column(String(254))


class SeriesPart(EditableContent, db.Model):
    __tablename__ = "series_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(200))
    number: Mapped[int]
    summary: Mapped[str] = mapped_column(Text)
    article_url: Mapped[str] = mapped_column(String(500), default="")
    placeholder: Mapped[bool] = mapped_column(default=False)
    triggers: Mapped[list[str]] = mapped_column(JSON, default=list)
    problems: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_default: Mapped[bool] = mapped_column(default=False)


class Programme(EditableContent, db.Model):
    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction: Mapped[str] = mapped_column(Text)
    steps: Mapped[list[str]] = mapped_column(JSON)
    evenness: Mapped[str] = mapped_column(Text)
    dose: Mapped[str] = mapped_column(Text)
    progression: Mapped[str] = mapped_column(Text)
    equipment: Mapped[str] = mapped_column(Text)
    gym_alternatives: Mapped[str] = mapped_column(Text)
