"""edge/ under the real Deno toolchain: type-checked, linted, formatted, its lock file honoured,
and its own unit tests (JWT verification, request parsing) passing."""

from __future__ import annotations

import pytest

from tests.support.edge import deno, require_deno

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
