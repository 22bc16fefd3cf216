"""Media fixtures: one S3 stand-in for the session, a fresh studio per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.conftest import FreshDb
from tests.media import s3
from tests.media.studio import Studio


@pytest.fixture(scope="session")
def s3_url() -> Iterator[str]:
    with s3.server() as url:
        yield url


@pytest.fixture
def studio(fresh_db: FreshDb, s3_url: str, environ: Callable[..., None]) -> Iterator[Studio]:
    stores = s3.fresh(s3_url)
    environ(**stores.env())
    studio = Studio(fresh_db, stores)
    try:
        yield studio
    finally:
        studio.conn.close()
