"""Imports run one way, down the floors that pyproject.toml's import-linter contracts name, and
no two parts import each other. Imports inside functions count: import-linter reads them all."""

from pathlib import Path

import pytest
from importlinter import configuration
from importlinter.adapters.building import GraphBuilder
from importlinter.application import use_cases
from importlinter.application.app_config import settings

PYPROJECT = str(Path(__file__).resolve().parents[1] / "pyproject.toml")


class GraphWithImports(GraphBuilder):
    """The project's own import graph, with imports that are not in the code."""

    def __init__(self, *imports: tuple[str, str]) -> None:
        self.imports = imports

    def build(self, **options):
        graph = super().build(**options)
        for importer, imported in self.imports:
            graph.add_import(importer=importer, imported=imported)
        return graph


@pytest.fixture
def lint(monkeypatch):
    configuration.configure()

    def lint(graph_builder: GraphBuilder | None = None) -> bool:
        if graph_builder is not None:
            monkeypatch.setitem(settings._config, "GRAPH_BUILDER", graph_builder)
        return use_cases.lint_imports(config_filename=PYPROJECT, cache_dir=None, no_logo=True)

    return lint


def test_imports_run_down_the_floors_and_never_in_a_circle(lint):
    assert lint()


def test_imports_inside_functions_are_read():
    # create_app imports the parts it registers inside register_blueprints.
    graph = GraphBuilder().build(root_package_names=["app"], cache_dir=None)
    assert graph.direct_import_exists(importer="app", imported="app.desk.enquiries")


@pytest.mark.parametrize(
    "upward",
    [
        # A model reaching up to a feature.
        ("app.models.enquiry", "app.enquiries.service"),
        # A utility reaching up to the models.
        ("app.timeutil", "app.models.booking"),
        # A shared part reaching up to a feature.
        ("app.clinical.screening", "app.programme.service"),
        # A feature reaching up to the desk.
        ("app.bookings.service", "app.desk.bookings.service"),
        # Programme reaching back up to enquiries, which enrols through it.
        ("app.programme.service", "app.enquiries.service"),
    ],
)
def test_an_import_that_runs_back_up_fails(lint, upward):
    assert not lint(GraphWithImports(upward))


@pytest.mark.parametrize(
    "circle",
    [
        # Within one part: changes imports errors, so errors may not import changes.
        [("app.bookings.errors", "app.bookings.changes")],
        # Two desk parts on one floor, each leaning on the other.
        [
            ("app.desk.programme.routes", "app.desk.content.routes"),
            ("app.desk.content.forms", "app.desk.programme.service"),
        ],
        # A module importing back the routes that import it.
        [("app.desk.bookings.service", "app.desk.bookings.routes")],
    ],
)
def test_a_circle_fails(lint, circle):
    assert not lint(GraphWithImports(*circle))
