import pytest

from accounts.services import api_token_create


@pytest.fixture
def token_headers():
    """Headers that sign a test-client request in with a fresh personal API token of `user`."""

    def make(user) -> dict:
        _, key = api_token_create(user=user, name="интеграция для тестов")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return make


@pytest.fixture
def pm(cast):
    """The cast with the year's профминимум (a1 basic 40 h, a2 main 60 h, b1 advanced 80 h), as profminimum's tests have it."""
    from profminimum.tests.conftest import Profminimum

    return Profminimum(cast)
