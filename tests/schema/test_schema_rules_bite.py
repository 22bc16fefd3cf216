"""The schema rules catch what they claim to: plant one violation of each and watch them fail."""

from __future__ import annotations

import psycopg

from tests.schema import test_schema_rules as rules

PLANTED = [
    "create table public.bad_parent (id int primary key)",  # no RLS, no comments
    "create table public.bad_child (id int primary key, p int references public.bad_parent (id))",  # no FK index
    "create function public.bad_fn() returns int language sql security definer as 'select 1'",  # definer in public
    "grant execute on function public.bad_fn() to public, anon",
    "create table public.bad_rls (id uuid primary key)",
    "alter table public.bad_rls enable row level security",
    "create policy per_row on public.bad_rls for select to authenticated using (id = auth.uid())",
]


def test_every_rule_fails_on_its_planted_violation(db: psycopg.Connection) -> None:
    for statement in PLANTED:
        db.execute(statement)
    passed = []
    for name in sorted(n for n in dir(rules) if n.startswith("test_")):
        try:
            with db.transaction():
                getattr(rules, name)(db)
        except AssertionError:
            continue
        passed.append(name)
    assert passed == ["test_api_roles_have_no_usage_on_private"]  # nothing planted for this one
