"""The end-to-end suite's helpers, checked without Docker: config isolation, the CLI's status
and env files, the edge functions' settings, and the client-side pieces."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import socket
import tomllib
from pathlib import Path
from typing import Any

import pytest
from supabase import acreate_client

from tests.e2e import app, stack
from whatssound_svc import paths

CONFIG = (paths.SUPABASE_DIR / "config.toml").read_text(encoding="utf-8")
#: `supabase status -o json` of a running 2.117 stack (names from the CLI's status.go), trimmed.
STATUS = {
    "API_URL": "http://127.0.0.1:55321", "DB_URL": "postgresql://postgres:postgres@127.0.0.1:55322/postgres",
    "FUNCTIONS_URL": "http://127.0.0.1:55321/functions/v1", "ANON_KEY": "eyJ.anon", "SERVICE_ROLE_KEY": "eyJ.service",
    "JWT_SECRET": "super-secret-jwt-token-with-at-least-32-characters-long",
    "PUBLISHABLE_KEY": "sb_publishable_x", "SECRET_KEY": "sb_secret_x",
}  # fmt: skip


def _isolated() -> str:
    return stack.rewrite_config(CONFIG, stack.isolated_settings("whatssound-e2e-1", 55321, 55322, 55320))


def test_the_isolated_config_changes_only_the_project_id_ports_and_extra_services() -> None:
    before, after = tomllib.loads(CONFIG), tomllib.loads(_isolated())
    assert after["project_id"] == "whatssound-e2e-1"
    assert (after["api"]["port"], after["db"]["port"], after["db"]["shadow_port"]) == (55321, 55322, 55320)
    assert all(after[name] == {"enabled": False} for name in stack.DISABLED_TABLES)
    for table in ("project_id", "api", "db", *stack.DISABLED_TABLES):
        before.pop(table, None)
        after.pop(table, None)
    assert after == before, "auth, realtime, storage, functions and the seed are exactly the project's"


def test_rewrite_config_replaces_in_place_adds_missing_keys_and_tables() -> None:
    text = 'top = 1\n[a]\n# note\nx = 1\n[b]\ny = "keep"\n'
    out = stack.rewrite_config(text, {"": {"top": "2"}, "a": {"x": "3", "z": "true"}, "c": {"w": '"new"'}})
    assert tomllib.loads(out) == {"top": 2, "a": {"x": 3, "z": True}, "b": {"y": "keep"}, "c": {"w": "new"}}
    assert "# note" in out


@pytest.mark.node
def test_the_pinned_cli_loads_the_isolated_config(tmp_path: Path) -> None:
    if not stack.SUPABASE.exists():
        pytest.skip("the Supabase CLI is not installed (npm missing); `make tools` installs it")
    (tmp_path / "supabase").mkdir()
    (tmp_path / "supabase" / "config.toml").write_text(_isolated(), encoding="utf-8")
    result = stack.cli(tmp_path, "status", "-o", "json", env=stack.placeholder_env(CONFIG), timeout=60)
    output = (result.stdout + result.stderr).lower()
    # A bad file fails with "failed to read config: ..."; a stale section warns "config section ...".
    assert "config" not in output, output
    assert "container" in output or result.returncode == 0, output  # then it asks Docker


def test_every_env_setting_of_the_config_gets_a_placeholder() -> None:
    env = stack.placeholder_env(CONFIG)
    assert set(env) == set(re.findall(r"env\(([A-Z0-9_]+)\)", CONFIG))
    assert "SUPABASE_AUTH_SMS_TWILIO_AUTH_TOKEN" in env
    assert all(value for value in env.values())
    secret = env["SUPABASE_AUTH_HOOK_SEND_SMS_SECRETS"]
    assert secret.startswith("v1,whsec_")
    assert len(base64.b64decode(secret.removeprefix("v1,whsec_"))) >= 32


def test_free_ports_are_distinct_and_bindable() -> None:
    ports = stack.free_ports(3)
    assert len(set(ports)) == 3
    for port in ports:
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))


def test_the_project_copy_has_real_migration_files_and_the_functions(tmp_path: Path) -> None:
    copy = stack.copy_project(tmp_path)
    migrations = sorted((copy / "supabase" / "migrations").iterdir())
    assert [m.name for m in migrations] == sorted(p.name for p in paths.MIGRATIONS_DIR.iterdir())
    assert not any(m.is_symlink() for m in migrations), "the containers mount the copy: links would dangle"
    assert migrations[0].read_bytes() == (paths.MIGRATIONS_DIR / migrations[0].name).read_bytes()
    assert (copy / "supabase" / "seed.sql").is_file()
    functions = tomllib.loads(CONFIG)["functions"]
    for function in functions.values():
        assert (copy / "supabase" / function["entrypoint"]).resolve().is_file()
        assert (copy / "supabase" / function["import_map"]).resolve().is_file()


def test_parse_status_reads_the_cli_names_and_falls_back_to_the_new_keys(tmp_path: Path) -> None:
    parsed = stack.parse_status(tmp_path, "p", json.dumps(STATUS))
    assert (parsed.api_url, parsed.anon_key, parsed.functions_url) == (
        "http://127.0.0.1:55321", "eyJ.anon", "http://127.0.0.1:55321/functions/v1",
    )  # fmt: skip
    assert parsed.db_url == STATUS["DB_URL"]
    newer = {k: v for k, v in STATUS.items() if k not in {"ANON_KEY", "SERVICE_ROLE_KEY", "FUNCTIONS_URL"}}
    parsed = stack.parse_status(tmp_path, "p", json.dumps(newer))
    assert (parsed.anon_key, parsed.service_role_key) == ("sb_publishable_x", "sb_secret_x")
    assert parsed.functions_url == "http://127.0.0.1:55321/functions/v1"


def test_the_functions_env_has_every_required_setting_and_no_reserved_name(tmp_path: Path) -> None:
    env = stack.functions_env(stack.parse_status(tmp_path, "p", json.dumps(STATUS)))
    source = (paths.REPO_ROOT / "edge" / "_shared" / "config.ts").read_text(encoding="utf-8")
    required = set(re.findall(r'required\(env, "([A-Z_]+)"', source))
    provided_by_the_cli = {"SUPABASE_DB_URL", "SUPABASE_URL"}
    assert required <= set(env) | provided_by_the_cli
    assert not any(name.startswith("SUPABASE_") for name in env), (
        "the CLI skips SUPABASE_* names in env files"
    )
    assert env["WHATSSOUND_JWT_ISSUER"] == "http://127.0.0.1:55321/auth/v1", "the tokens' iss"
    assert re.fullmatch(r"(sk|rk)_(test|live)_[A-Za-z0-9]+", env["STRIPE_SECRET_KEY"])
    assert re.fullmatch(r"pk_(test|live)_[A-Za-z0-9]+", env["STRIPE_PUBLISHABLE_KEY"])


def test_env_file_text_quotes_each_value_on_its_own_line() -> None:
    text = stack.env_file_text({"A": "x y", "B": 'q"uote'})
    assert text == 'A="x y"\nB="q\\"uote"\n'


def test_superuser_url_keeps_the_password_host_port_and_database() -> None:
    assert (
        stack.superuser_url(STATUS["DB_URL"])
        == "postgresql://supabase_admin:postgres@127.0.0.1:55322/postgres"
    )


def test_claims_reads_an_unpadded_jwt_payload() -> None:
    payload = base64.urlsafe_b64encode(json.dumps({"sub": "u", "whatssound": {"dj": True}}).encode()).rstrip(
        b"="
    )
    assert app.claims(f"eyJhbGciOiJIUzI1NiJ9.{payload.decode()}.sig") == {
        "sub": "u",
        "whatssound": {"dj": True},
    }


def test_test_numbers_are_sent_in_e164() -> None:
    numbers = tomllib.loads(CONFIG)["auth"]["sms"]["test_otp"]
    assert all(code == app.TEST_OTP for code in numbers.values())
    assert [app.e164(n) for n in sorted(numbers)][:1] == ["+15555550100"]
    assert app.e164("+15555550100") == "+15555550100"


@pytest.mark.parametrize(
    ("envelope", "expected"),
    [
        ({"event": "chat.message", "data": {"body": "hi"}}, True),
        ({"event": "chat.message", "data": {"body": "other"}}, False),
        ({"event": "tick", "data": {"chat": [{"body": "x"}, {"body": "hi"}]}}, True),
        ({"event": "tick", "data": {"chat": []}}, False),
        ({"event": "queue.votes", "data": {"body": "hi"}}, False),
    ],
)
def test_carries_message_finds_a_line_sent_at_once_or_in_a_tick(
    envelope: dict[str, Any], expected: bool
) -> None:
    assert app.carries_message(envelope, "hi") is expected


def test_first_matching_skips_others_and_times_out() -> None:
    async def run() -> tuple[dict[str, Any], bool]:
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        for n in (1, 2, 3):
            inbox.put_nowait({"seq": n})
        found = await app.first_matching(inbox, lambda e: e["seq"] == 2, timeout=1)
        try:
            await app.first_matching(inbox, lambda e: e["seq"] == 9, timeout=0.05)
        except TimeoutError:
            return found, True
        return found, False

    assert asyncio.run(run()) == ({"seq": 2}, True)


def test_avatars_go_in_the_users_folder_as_the_storage_policy_reads_it() -> None:
    path = app.avatar_path("d0000000-0000-4000-8000-000000000102")
    assert path.split("/")[0] == "d0000000-0000-4000-8000-000000000102"  # storage.foldername(name)[1]
    assert app.PNG_1X1.startswith(b"\x89PNG\r\n\x1a\n")
    policy = (paths.REPO_ROOT / "sql" / "media" / "20261128040000_media-buckets.sql").read_text(
        encoding="utf-8"
    )
    assert "(storage.foldername(name))[1] = (select auth.uid()::text)" in policy


def test_a_function_answer_is_told_from_the_gateways() -> None:
    ours = app.answer("application/json; charset=utf-8", '{"code": "LOGIN", "message": "Not signed in."}')
    assert app.is_ours(ours)
    assert not app.is_ours(app.answer("text/plain", "InvalidWorkerCreation"))
    assert not app.is_ours(app.answer("application/json", '{"message": "An invalid response was received"}'))
    assert app.answer("application/json", "") == ""


def test_a_client_is_built_offline_with_a_private_channel_as_the_app_subscribes() -> None:
    async def build() -> tuple[str, Any, str]:
        client = await acreate_client("http://127.0.0.1:9", "anon-key", app.options())
        channel = app.private_channel(client, "session:abc")
        return channel.topic, channel.params["config"], client.realtime.url

    topic, config, url = asyncio.run(build())
    assert topic == "realtime:session:abc"
    assert config["private"] is True
    assert url == "ws://127.0.0.1:9/realtime/v1/websocket?apikey=anon-key"
