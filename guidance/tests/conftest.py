import pytest

from catalog.shipped import catalog_shipped_ensure
from diagnostics.tests.conftest import shipped  # noqa: F401 — the instruments and kinds of consent


@pytest.fixture
def catalogue(db):
    catalog_shipped_ensure()
