"""Media fixtures: one S3 stand-in for the session, a fresh studio per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import FreshDb
from tests.media import s3
from tests.media.studio import Studio
from whatssound_svc.media.settings import get_media_settings


@pytest.fixture(scope="session")
def s3_url() -> Iterator[str]:
    with s3.server() as url:
        yield url


@pytest.fixture
def studio(fresh_db: FreshDb, s3_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Studio]:
    stores = s3.fresh(s3_url)
    for key, value in stores.env().items():
        monkeypatch.setenv(key, value)
    get_media_settings.cache_clear()
    studio = Studio(fresh_db, stores)
    try:
        yield studio
    finally:
        studio.conn.close()
        get_media_settings.cache_clear()
