"""The splitter cuts files exactly as the Supabase CLI does (its documented behaviour and quirks)."""

from __future__ import annotations

import pytest

from whatssound_svc.sqlsplit import split_statements


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        # comments are kept with the statement they precede; the trailing newline is dropped
        (
            "-- c\ncreate table a (x int);\n\n/* b */ create function f() returns int"
            " language sql as $$ select 1; $$;\n",
            ["-- c\ncreate table a (x int)",
             "/* b */ create function f() returns int language sql as $$ select 1; $$"],
        ),
        # repeated semicolons and blank tails disappear
        ("select 1;;; select 2;;\n  \n", ["select 1", "select 2"]),
        # a final statement without a semicolon is kept
        ("select 1; select 2", ["select 1", "select 2"]),
        # a comment-only piece is a statement
        ("-- only a comment", ["-- only a comment"]),
        ("", []),
        # quotes: doubled delimiters stay inside, semicolons inside do not split
        ("select 'a;''b'; select \"x;y\"", ["select 'a;''b'", 'select "x;y"']),
        # tagged dollar quotes, with a different tag nested inside
        ("do $body$ begin perform $q$;$q$; end $body$; select 2",
         ["do $body$ begin perform $q$;$q$; end $body$", "select 2"]),
        # $1 is not a dollar quote
        ("select $1; select 2", ["select $1", "select 2"]),
        # line comments end at the newline, block comments nest
        ("select 1 -- x; y\n; z", ["select 1 -- x; y", "z"]),
        ("/* a /* b; */ c; */ select 1; select 2", ["/* a /* b; */ c; */ select 1", "select 2"]),
        # backslash skips one character (so E'\'' is cut wrongly, as the CLI does)
        ("select e'\\';x'", ["select e'\\'", "x'"]),
        # parentheses hold semicolons, and one ) closes every level (the CLI's quirk)
        ("select (1, (2), 3; 4); select 5", ["select (1, (2), 3", "4)", "select 5"]),
        # BEGIN ATOMIC ... END holds semicolons; END is matched anywhere (quirk: "legend")
        ("create function f() returns int begin atomic select 1; select 2; end; select 9",
         ["create function f() returns int begin atomic select 1; select 2; end", "select 9"]),
        ("create function f() returns int begin atomic select 1; select legend from t; end; x",
         ["create function f() returns int begin atomic select 1; select legend from t", "end", "x"]),
        # a leading byte-order mark is dropped
        ("\ufeffselect 1;", ["select 1"]),
    ],
)  # fmt: skip
def test_split_matches_the_supabase_cli(sql: str, expected: list[str]) -> None:
    assert split_statements(sql) == expected


def test_split_is_linear_on_long_function_bodies() -> None:
    body = "select 1;\n" * 20000
    statements = split_statements(f"create function f() returns void language sql as $$\n{body}$$;")
    assert len(statements) == 1
