"""Every edge function under edge/ is declared in supabase/config.toml (so `supabase functions
deploy` ships it) with an entrypoint and import map that exist, and is served locally by
edge/serve.ts under the same name."""

from __future__ import annotations

import re
import tomllib

from whatssound_svc import paths

EDGE = paths.REPO_ROOT / "edge"


def test_config_and_local_server_know_every_function() -> None:
    config = tomllib.loads((paths.SUPABASE_DIR / "config.toml").read_text())
    declared = config.get("functions", {})
    on_disk = {p.parent.name for p in EDGE.glob("*/index.ts")}
    assert set(declared) == on_disk
    for name, function in declared.items():
        assert (paths.SUPABASE_DIR / function["entrypoint"]).resolve() == EDGE / name / "index.ts"
        assert (paths.SUPABASE_DIR / function["import_map"]).resolve() == EDGE / "deno.json"
        assert function["verify_jwt"] is False, "the functions verify tokens themselves (docs/payments.md)"
    served = set(re.findall(r'^\s+"([a-z-]+)": ', (EDGE / "serve.ts").read_text(), re.MULTILINE))
    assert served == on_disk
