import pytest
from django.db import connection


def test_the_applications_postgresql_connections_run_without_jit(db):
    """Issue «Scale», point 6: JIT compiled hundreds of functions for a page of 47 rows; the application's own
    connections switch it off whatever the server's default."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW idle_in_transaction_session_timeout")
        assert cursor.fetchone()[0] == "1min"
