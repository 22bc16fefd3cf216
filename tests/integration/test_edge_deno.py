"""edge/ under the real Deno toolchain: type-checked, linted, formatted, its lock file honoured,
and its own unit tests (JWT verification, request parsing) passing, and its status table PostgREST's."""

from __future__ import annotations

import json

import pytest

from tests.support.edge import deno, require_deno
from tests.unit.test_postgrest_statuses import CASES

pytestmark = [pytest.mark.node, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _deno() -> None:
    require_deno()


def test_the_functions_type_check_against_the_locked_packages() -> None:
    result = deno("check", "--frozen", "serve.ts", "create-tip/index.ts", "connect-onboarding/index.ts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_lint_and_format_are_clean() -> None:
    lint, fmt = deno("lint"), deno("fmt", "--check")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_the_deno_unit_tests_pass() -> None:
    result = deno("test", "--frozen", "--allow-net=127.0.0.1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 failed" in result.stdout


def test_the_edge_functions_answer_database_errors_with_postgrests_statuses() -> None:
    cases = [(code, message, status) for code, message, signed_in, status in CASES if signed_in]
    script = (
        'import { statusOf } from "./_shared/db.ts";'
        f"const cases = {json.dumps(cases)};"
        "console.log(JSON.stringify(cases.map(([code, message]) => statusOf(code, message))));"
    )
    result = deno("eval", "--frozen", script)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == [status for _, _, status in cases]
