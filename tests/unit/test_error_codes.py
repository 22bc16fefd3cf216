"""Every custom SQLSTATE raised in sql/ is registered in docs/error-codes.md and well-formed."""

from __future__ import annotations

import re

from whatssound_svc import paths

REGISTRY = paths.REPO_ROOT / "docs" / "error-codes.md"
_RAISED = re.compile(r"(?:errcode\s*=\s*|hidden\.api_error\()'([0-9A-Z]{5})'")
_BUILTIN_CLASSES = ("22", "23", "28", "42", "P0", "0A", "40", "53", "55", "57")


def _custom_codes() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for file in sorted(paths.SQL_DIR.rglob("*.sql")):
        for code in _RAISED.findall(file.read_text()):
            if not code.startswith(_BUILTIN_CLASSES):
                found.setdefault(code, []).append(file.name)
    return found


def test_custom_codes_follow_the_collision_rules() -> None:
    for code in _custom_codes():
        assert code[0] not in "FHPX", code
        assert code[2] not in "0P", code
        assert code[3].isalpha(), code
        assert not code.endswith("000"), code


def test_every_custom_code_is_registered() -> None:
    registered = set(re.findall(r"^\| `([0-9A-Z]{5})` \|", REGISTRY.read_text(), flags=re.MULTILINE))
    missing = {code: files for code, files in _custom_codes().items() if code not in registered}
    assert missing == {}, "add these to docs/error-codes.md"
