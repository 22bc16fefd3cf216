"""Split a migration file into statements exactly as the Supabase CLI does.

The CLI stores each applied migration's statements in its ledger
(``supabase_migrations.schema_migrations.statements``); to tell whether an applied file was
edited since, and to apply files with identical effect, we must cut them the same way,
quirks included. The rules (Supabase CLI ``pkg/parser``, also its TypeScript port in 2.117):

* a ``;`` outside quotes, comments, dollar quotes and parentheses ends a statement and stays
  in it; each piece then loses its trailing ``;`` characters and surrounding whitespace, and
  empty pieces are dropped; comments are kept;
* ``'...'`` and ``"..."`` quote (a doubled delimiter is an escaped one; backslash is not);
* ``--`` comments run to the newline; ``/* */`` comments nest;
* ``$tag$ ... $tag$`` dollar-quotes (the tag is letters, digits, ``_``);
* ``\\`` skips the next character;
* ``(`` waits for ``)`` (one ``)`` closes every nested level: the CLI's quirk, kept);
* ``BEGIN ATOMIC`` waits for ``END`` (case-insensitive, matched anywhere: also kept);
* a leading byte-order mark is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Go's unicode.IsSpace set, which the CLI's TrimSpace strips (Python's isspace() differs).
_GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _is_ident(ch: str) -> bool:
    return ch.isalpha() or ch.isdigit() or ch in "_$"


@dataclass
class _View:
    """The current statement so far: ``sql[start:end]``, without copying it on every step."""

    sql: str
    start: int = 0
    end: int = 0

    def endswith(self, suffix: str, *, fold: bool = False) -> bool:
        tail = self.sql[max(self.start, self.end - len(suffix)) : self.end]
        return (tail.upper() == suffix.upper()) if fold else tail == suffix

    def tail(self, n: int) -> str:
        return self.sql[max(self.start, self.end - n) : self.end]

    def text(self) -> str:
        return self.sql[self.start : self.end]


def _is_begin_atomic(view: _View) -> bool:
    """Whether the statement ends with the words BEGIN ATOMIC (any case, any whitespace between)."""
    if not view.endswith("ATOMIC", fold=True):
        return False
    data = view.text()
    head = data[:-6]
    if head and _is_ident(head[-1]):
        return False
    prefix = head.rstrip(_GO_SPACE)
    if len(prefix) < 5 or prefix[-5:].upper() != "BEGIN":
        return False
    before = prefix[:-5]
    return not before or not _is_ident(before[-1])


class _State:
    def next(self, ch: str, data: _View) -> _State | None:  # None: emit the statement
        raise NotImplementedError


class _Ready(_State):
    def next(self, ch: str, data: _View) -> _State | None:
        opened: _State | None
        match ch:
            case ";":
                opened = None  # end of statement
            case "$":
                opened = _Tag(offset=data.end - 1)
            case "'" | '"':
                opened = _Quote(delimiter=ch)
            case "-":
                opened = _Comment()
            case "/":
                opened = _Block()
            case "\\":
                opened = _Escape()
            case "(":
                opened = _Wait(prev=self, delimiter=")")
            case "c" | "C" if _is_begin_atomic(data):
                opened = _Wait(prev=self, delimiter="END")
            case _:
                opened = self
        return opened


class _Comment(_State):
    def next(self, ch: str, data: _View) -> _State | None:
        if ch == "-":
            return _Dollar(delimiter="\n")  # no escapes inside a line comment
        return _Ready().next(ch, data)


@dataclass
class _Block(_State):
    depth: int = 0

    def next(self, ch: str, data: _View) -> _State | None:
        window = data.tail(2)
        if window == "/*":
            self.depth += 1
            return self
        if self.depth == 0:
            return _Ready().next(ch, data)
        if window == "*/":
            self.depth -= 1
            if self.depth == 0:
                return _Ready()
        return self


@dataclass
class _Quote(_State):
    delimiter: str
    escape: bool = False

    def next(self, ch: str, data: _View) -> _State | None:
        if self.escape:
            if ch == self.delimiter:  # a doubled delimiter stays inside the quote
                self.escape = False
                return self
            return _Ready().next(ch, data)
        if ch == self.delimiter:
            self.escape = True
        return self


@dataclass
class _Dollar(_State):
    delimiter: str

    def next(self, ch: str, data: _View) -> _State | None:
        if data.endswith(self.delimiter):
            return _Ready()
        return self


@dataclass
class _Tag(_State):
    offset: int

    def next(self, ch: str, data: _View) -> _State | None:
        if ch == "$":
            return _Dollar(delimiter=data.sql[self.offset : data.end])
        if ch.isalpha() or ch.isdigit() or ch == "_":
            return self
        return _Ready().next(ch, data)


class _Escape(_State):
    def next(self, ch: str, data: _View) -> _State | None:
        return _Ready()


@dataclass
class _Wait(_State):
    """Inside ``( ... )`` or ``BEGIN ATOMIC ... END``: semicolons do not end the statement."""

    prev: _State
    delimiter: str

    def next(self, ch: str, data: _View) -> _State | None:
        current = self.prev.next(ch, data)
        if current is not None:
            self.prev = current
        if isinstance(self.prev, _Ready) and data.endswith(self.delimiter, fold=True):
            return _Ready()
        return self


def split_statements(sql: str) -> list[str]:
    """The statements the Supabase CLI would send (and record) for this file's text."""
    if sql.startswith("\ufeff"):
        sql = sql[1:]
    statements: list[str] = []
    state: _State = _Ready()
    view = _View(sql)
    for index, ch in enumerate(sql):
        view.end = index + 1
        following = state.next(ch, view)
        if following is None:
            statements.append(view.text())
            view.start = index + 1
            state = _Ready()
        else:
            state = following
    if view.start < len(sql):
        statements.append(sql[view.start :])
    cleaned = (piece.rstrip(";").strip(_GO_SPACE) for piece in statements)
    return [piece for piece in cleaned if piece]
