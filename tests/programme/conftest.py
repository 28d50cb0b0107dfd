import pytest

from ..support.desk import (  # noqa: F401  (fixtures)
    FAST_HASHING,
    desk,
    staff,
)


@pytest.fixture
def app_overrides():
    return dict(FAST_HASHING)
