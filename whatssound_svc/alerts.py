"""ops/alerts.yml, with runbook links a pager can open.

Every rule's ``runbook_url`` is absolute: the setting ``runbook_base_url`` (where the repository's
``docs/`` folder is published) followed by ``runbook.md#<the alert's name in lower case>``, the
anchor of its section in docs/runbook.md. The committed file is written with the default base
(``DEFAULT_RUNBOOK_BASE_URL``), so Prometheus loads it as it is; for docs published elsewhere,
``whatssound ops alerts`` prints it with another base. tests/service/test_ops.py holds the file to
this (absolute URLs, under the default base, anchors that exist).
"""

from __future__ import annotations

import re

from whatssound_svc import paths
from whatssound_svc.errors import WhatsSoundError
from whatssound_svc.settings import DEFAULT_RUNBOOK_BASE_URL

ALERTS_FILE = paths.REPO_ROOT / "ops" / "alerts.yml"

#: One ``runbook_url: "..."`` annotation line (the file quotes every URL).
RUNBOOK_URL_LINE = re.compile(r'^(?P<key>\s+runbook_url: )"(?P<url>[^"]*)"$', re.MULTILINE)


def rebased(rules: str, base: str) -> str:
    """``rules`` (an alerts file's text) with each runbook_url under the default base moved under
    ``base``; a runbook_url anywhere else is an error (the file is not the one we ship)."""

    def move(line: re.Match[str]) -> str:
        url = line["url"]
        if not url.startswith(DEFAULT_RUNBOOK_BASE_URL):
            raise WhatsSoundError(
                f"{ALERTS_FILE.name}: runbook_url {url!r} is not under {DEFAULT_RUNBOOK_BASE_URL}"
            )
        return f'{line["key"]}"{base}{url.removeprefix(DEFAULT_RUNBOOK_BASE_URL)}"'

    return RUNBOOK_URL_LINE.sub(move, rules)
