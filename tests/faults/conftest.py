"""The fault tests' own PostgreSQL cluster (they stop it; the session's server stays up), with the
migrated template, and a fresh database on it per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.conftest import FreshDb
from tests.support.pgserver import PgServer, build_template
from whatssound_svc.local.cluster import LocalCluster


@pytest.fixture(scope="package")
def fault_server() -> Iterator[tuple[PgServer, str]]:
    """A throw-away cluster for this package and the name of its migrated template."""
    cluster = LocalCluster.ephemeral("test")
    try:
        cluster.start()
        server = PgServer(admin_url=cluster.admin_url, cluster=cluster)
        yield server, build_template(server)
    finally:
        cluster.destroy()


@pytest.fixture
def fault_db(fault_server: tuple[PgServer, str]) -> Iterator[FreshDb]:
    """A fresh clone of the template on the fault cluster, dropped after the test."""
    server, template = fault_server
    name = f"ws_fault_{uuid.uuid4().hex[:10]}"
    server.create_database(name, template=template)
    try:
        yield FreshDb(server, name)
    finally:
        if server.cluster is not None and not server.cluster.is_running:
            server.cluster.start()
        server.drop_database(name)
