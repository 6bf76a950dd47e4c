import pytest

from accounts.services import api_token_create


@pytest.fixture
def token_headers():
    """Headers that sign a test-client request in with a fresh personal API token of `user`."""

    def make(user) -> dict:
        _, key = api_token_create(user=user, name="интеграция для тестов")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return make
