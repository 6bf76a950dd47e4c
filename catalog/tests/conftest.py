import pytest

from catalog.shipped import catalog_shipped_ensure


@pytest.fixture
def catalogue(db):
    """The shipped catalogue (a migration loads it; a transactional test may have emptied the database)."""
    catalog_shipped_ensure()
