"""sql/schema/ is exactly what a fresh migration gives (regenerate with `whatssound db dump`)."""

from __future__ import annotations

from tests.conftest import FreshDb
from whatssound_svc import schemadump


def test_the_committed_settings_are_what_the_migrations_leave(fresh_db: FreshDb) -> None:
    with fresh_db.connect() as conn:
        expected = schemadump.render_settings(conn)
    assert schemadump.SETTINGS_FILE.read_text() == expected, (
        "sql/schema/settings.json is stale: run `whatssound db dump` against a freshly migrated database"
    )
