"""Sign-in: the custom access token hook as Supabase Auth calls it (as supabase_auth_admin, in a
transaction with a 2 s statement timeout), for users with realistic profiles, staff roles and
entitlements, against an empty PostgREST transaction."""

from __future__ import annotations

import psycopg

from bench import data
from bench.harness import BASELINE, uid_sql

TITLE = "Sign-in: the custom access token hook"
ACCOUNTS = 10_000

TOKEN_HOOK = "\n".join(
    [
        rf"\set u random(1, {ACCOUNTS})",
        "begin;",
        "select set_config('statement_timeout', '2000', true);",
        "select public.custom_access_token_hook(json_build_object("
        f"'user_id', {uid_sql('u')}, 'authentication_method', 'otp', 'claims', json_build_object("
        f"'aud', 'authenticated', 'exp', 1900000000, 'iat', 1899996400, 'sub', {uid_sql('u')}, 'email', '',"
        " 'phone', '15550000000', 'role', 'authenticated', 'aal', 'aal1', 'session_id', gen_random_uuid(),"
        " 'is_anonymous', false, 'app_metadata', json_build_object('provider', 'phone'),"
        " 'user_metadata', json_build_object()))::jsonb);",
        "commit;",
    ]
)


def load(admin_url: str) -> None:
    """10,000 users: every tenth a DJ, every fifth with a subscription (some lapsed), 1 % staff."""
    data.users_and_room(admin_url, users=ACCOUNTS, present=0)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("set role postgres")
        conn.execute(
            f"update public.profiles set is_dj = true where id in (select {data.user_id_sql('n')} from generate_series(0, {ACCOUNTS}, 10) as n)"
        )
        conn.execute(
            f"""
            insert into public.entitlements (user_id, entitlement, source, expires_at)
            select {data.user_id_sql("n")}, 'premium', 'revenuecat',
              now() + case when n % 3 = 0 then interval '-1 day' else interval '20 days' end
            from generate_series(1, {ACCOUNTS}, 5) as n
            """
        )
        conn.execute(
            f"insert into private.staff (user_id, role) select {data.user_id_sql('n')}, 'moderator'"
            f" from generate_series(1, {ACCOUNTS}, 100) as n"
        )
    data.settle(admin_url)


def plans(url: str) -> dict[str, str]:
    """No query plan to show: three primary-key lookups."""
    return {}


DESCRIPTION = (
    f"{ACCOUNTS:,} phone users, every tenth a DJ, every fifth with a subscription (a third of those lapsed), "
    "1 % staff. token_hook: Supabase Auth's call for a random user, as supabase_auth_admin, with the claims "
    "GoTrue sends; it runs on every sign-in and every token refresh."
)
RATES = {"token_hook": [100, 500, 1000]}
ONLY_THESE_RATES = True
#: name -> (p95 bound in ms, largest allowed ratio to the baseline's p95, or None)
TARGETS = {"token_hook": (5.0, None)}
#: GoTrue logs in as supabase_auth_admin.
USERS = {"token_hook": "supabase_auth_admin"}
SCENARIOS = [("baseline", BASELINE), ("token_hook", TOKEN_HOOK)]
