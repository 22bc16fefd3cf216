"""Against Supabase's own database image, where a Docker engine answers (skipped otherwise).

The image is the real thing the shim imitates: the shim must refuse it, and our migrations
must apply to it unchanged, as `postgres`, exactly as they would on a hosted project.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import psycopg
import pytest

from whatssound_svc import migrations, paths, shim
from whatssound_svc.errors import ShimRefused

pytestmark = [pytest.mark.docker, pytest.mark.slow]
#: The Supabase Postgres image for the major our hosted project runs (config.toml [db]).
IMAGE = "supabase/postgres:15.8.1.085"
PASSWORD = "local-test-only"


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        subprocess.run(["docker", "info"], capture_output=True, timeout=10, check=True)
    except (subprocess.SubprocessError, OSError):
        return False
    return True


@pytest.fixture(scope="module")
def supabase_db() -> Iterator[tuple[str, str]]:
    """(admin URL as supabase_admin, URL as postgres) of a running supabase/postgres container."""
    if not _docker_answers():
        pytest.skip("no Docker engine answers here; these tests run where one does")
    from testcontainers.core.container import DockerContainer  # noqa: PLC0415 (optional extra)
    from testcontainers.core.waiting_utils import wait_for_logs  # noqa: PLC0415

    container = DockerContainer(IMAGE).with_env("POSTGRES_PASSWORD", PASSWORD).with_exposed_ports(5432)
    with container:
        wait_for_logs(container, "database system is ready to accept connections", timeout=120)
        host, port = container.get_container_host_ip(), container.get_exposed_port(5432)
        base = f"@{host}:{port}/postgres"
        yield f"postgresql://supabase_admin:{PASSWORD}{base}", f"postgresql://postgres:{PASSWORD}{base}"


def test_the_shim_refuses_the_real_supabase_image(supabase_db: tuple[str, str]) -> None:
    admin_url, _ = supabase_db
    with psycopg.connect(admin_url, autocommit=True) as conn:
        assert shim.is_supabase_managed(conn)
        with pytest.raises(ShimRefused):
            shim.apply(conn)


def test_our_migrations_apply_unchanged_as_postgres(supabase_db: tuple[str, str]) -> None:
    _, url = supabase_db
    with psycopg.connect(url, autocommit=True) as conn:
        applied = migrations.push(conn, paths.MIGRATIONS_DIR, report=lambda _m: None)
        assert [m.version for m in applied] == [
            m.version for m in migrations.local_migrations(paths.MIGRATIONS_DIR)
        ]
        assert conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone() == (
            False,
        )
