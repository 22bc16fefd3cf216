"""types/ is exactly what `whatssound docs types` writes from the migrated database and the JSON
Schemas, and a client written the way the app uses supabase-js type-checks against it."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from whatssound_svc import paths, typegen

pytestmark = [pytest.mark.node, pytest.mark.slow]

TSC = typegen.NODE_MODULES / "typescript" / "bin" / "tsc"
SAMPLE = paths.REPO_ROOT / "tests" / "typescript"
STALE = "types/{} is stale: run `whatssound docs types` (it migrates a throw-away database)"


@pytest.fixture(autouse=True)
def _node_tools() -> None:
    """Skip (or fail, where CI says Node tools must be present) without Node and `make tools`."""
    if shutil.which("node") and TSC.exists() and typegen.PG_META.exists() and typegen.JSON2TS.exists():
        return
    if os.environ.get("WHATSSOUND_REQUIRE_NODE_TOOLS"):
        pytest.fail("Node or the packages in tools/package.json are missing; run `make tools`")
    pytest.skip("Node tooling is not installed; `make tools` installs it")


def test_the_database_types_are_current(fresh_db) -> None:  # type: ignore[no-untyped-def]
    expected = typegen.database_types(fresh_db.url())
    current = (typegen.TYPES_DIR / typegen.DATABASE_TYPES).read_text()
    assert current == expected, STALE.format(typegen.DATABASE_TYPES)


def test_the_event_and_result_types_are_current() -> None:
    current = (typegen.TYPES_DIR / typegen.CONTRACT_TYPES).read_text()
    assert current == typegen.contract_types(), STALE.format(typegen.CONTRACT_TYPES)


def test_postgres_meta_is_the_version_the_pinned_supabase_cli_runs() -> None:
    # `supabase gen types typescript` runs the image supabase/postgres-meta:v<version> it pins.
    cli = next((typegen.NODE_MODULES / "@supabase").glob("cli-*/bin/supabase"), None)
    if cli is None:
        pytest.skip("no Supabase CLI binary for this platform under tools/")
    assert f"supabase/postgres-meta:v{typegen.pg_meta_version()}".encode() in cli.read_bytes()


def test_a_supabase_js_client_type_checks_against_the_types() -> None:
    # tests/typescript/client.ts calls RPCs and tables through createClient<Database> and
    # TypedDatabase, narrows broadcasts by event, and marks calls the types must refuse.
    result = subprocess.run(
        ["node", str(TSC), "-p", str(SAMPLE / "tsconfig.json")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
