"""Read-only Cypher by construction: a tokenizer that follows Cypher's lexical rules, and an allow-list.

Terms:

Token
    One lexical unit of a Cypher statement, found the way the openCypher grammar (and both engines,
    LadybugDB and Neo4j 5) finds them: ``'…'`` and ``"…"`` strings with backslash escapes;
    ```…``` names in which a doubled backtick stands for one backtick and a backslash is an ordinary
    character (not an escape); ``//`` comments to the end of the line; ``/* … */`` comments (not nested);
    ``$name`` parameters; numbers; words; single punctuation characters.
Read statement
    One statement that starts with ``MATCH``, ``OPTIONAL MATCH``, ``UNWIND``, ``WITH`` or ``RETURN``,
    whose bare words are all read keywords (``READ_KEYWORDS``) or names (variables, labels, property
    keys, aliases), and whose function calls all name a function of ``READ_FUNCTIONS``. Anything else
    (``LOAD FROM``, ``LOAD CSV``, ``COPY … TO``, ``CALL``, ``CHECKPOINT``, ``INSTALL``, ``ATTACH``,
    ``BEGIN``, ``CREATE``, a procedure, an unknown function, a second statement) is refused.

The check is deliberately stricter than either engine where they might read a text differently:
a backslash inside a backtick name and an escaped quote inside a string are refused, line comments end
at any line-break character, and an unterminated string, name or comment is refused. The stores add
their own guard on top (a private copy of the LadybugDB file opened read-only; Neo4j READ_ACCESS
sessions with ``execute_read``), so a case missed here still cannot change the store.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..stores.base import ReadOnlyViolation

#: Words that may start a read statement.
START_WORDS = frozenset({"MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN"})

#: Every bare keyword a read statement may use (compared upper-case).
READ_KEYWORDS = frozenset({
    "MATCH", "OPTIONAL", "WHERE", "RETURN", "WITH", "UNWIND", "AS", "ORDER", "BY", "ASC", "ASCENDING", "DESC",
    "DESCENDING", "SKIP", "LIMIT", "DISTINCT", "AND", "OR", "XOR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE",
    "CASE", "WHEN", "THEN", "ELSE", "END", "UNION", "ALL", "STARTS", "ENDS", "CONTAINS", "EXISTS", "COUNT",
    "COLLECT", "ANY", "NONE", "SINGLE", "SHORTEST",
})

#: Functions a read statement may call (compared lower-case; both engines' spellings).
READ_FUNCTIONS = frozenset({
    "count", "sum", "avg", "min", "max", "collect", "size", "length", "coalesce", "tolower", "toupper", "lower",
    "upper", "trim", "ltrim", "rtrim", "replace", "substring", "left", "right", "split", "tostring", "tointeger",
    "tofloat", "toboolean", "round", "floor", "ceil", "abs", "sqrt", "sign", "log", "log10", "exp", "head",
    "last", "tail", "range", "reverse", "keys", "labels", "label", "type", "id", "nodes", "relationships",
    "rels", "startnode", "endnode", "properties", "exists", "any", "all", "none", "single", "reduce",
    "shortestpath", "allshortestpaths", "date", "datetime", "duration", "cast", "concat", "nullif",
    "list_contains", "list_sort", "list_distinct", "string_split", "starts_with", "ends_with", "contains",
    "isempty", "percentilecont", "percentiledisc", "stdev", "stdevp", "elementid", "tostringornull",
})

#: Words that start or modify a writing, file-touching, catalogue or transaction statement in either
#: engine; named in the refusal. (Not the guard: anything outside READ_KEYWORDS in a clause position is
#: refused too; this list only gives the better message and catches them where a name could stand.)
OTHER_KEYWORDS = frozenset({
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "CALL", "FOREACH", "LOAD",
    "COPY", "IMPORT", "EXPORT", "INSTALL", "UNINSTALL", "ATTACH", "USE", "BEGIN", "COMMIT", "ROLLBACK",
    "CHECKPOINT", "GRANT", "REVOKE", "DENY", "SHOW", "TERMINATE", "PROFILE", "EXPLAIN", "USING", "PERIODIC",
    "FINISH", "RENAME", "ENABLE", "DISABLE", "START", "STOP", "TRANSACTION", "TRANSACTIONS", "FROM", "TO",
    "YIELD", "PROJECT", "CSV", "ON", "INSERT", "UPDATE", "FORCE",
})

_LINE_BREAKS = "\n\r\u2028\u2029\x85\x0b\x0c"
_WORD_RE = re.compile(r"[^\W\d]\w*")
_NUMBER_RE = re.compile(r"0[xX][0-9A-Fa-f]+|0[oO][0-7]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?")
_VALUE_END = ("word", "name", "string", "number", "param")
# keywords that may stand before "(" without being a call, and keywords that do not end a value
_BEFORE_PARENTHESIS = frozenset({"MATCH", "WHERE", "AND", "OR", "XOR", "NOT", "IN", "RETURN", "WITH", "UNWIND", "WHEN",
                                 "THEN", "ELSE", "CASE", "IS", "AS", "DISTINCT", "OPTIONAL", "UNION", "ALL",
                                 "CONTAINS", "STARTS", "ENDS", "SKIP", "LIMIT", "BY"})
_NOT_VALUES = READ_KEYWORDS - {"NULL", "TRUE", "FALSE"}


class StatementRefused(ReadOnlyViolation):
    """The statement is not a read statement (see the module docstring); the message says where and why."""


@dataclass(frozen=True)
class Token:
    """One token: its kind (word, name, string, number, param, punct), its text and where it starts."""

    kind: str
    text: str
    line: int
    column: int


def _where(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _refuse(text: str, pos: int, why: str) -> StatementRefused:
    line, col = _where(text, pos)
    return StatementRefused(f"line {line}, column {col}: {why} (queries are read-only)")


def tokenize(text: str) -> list[Token]:
    """Split a Cypher statement into tokens, dropping whitespace and comments.

    Raises ``StatementRefused`` for an unterminated string, name or block comment, a backslash inside
    a backtick name, or a string that escapes its own quote.

    Examples
    --------
    >>> [t.text for t in tokenize("MATCH (`a``b`) // hidden\\nRETURN 'x\\\\y' /* c */")]
    ['MATCH', '(', 'a`b', ')', 'RETURN', "'x\\\\y'"]
    """
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif text.startswith("//", i):
            j = i + 2
            while j < n and text[j] not in _LINE_BREAKS:
                j += 1
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise _refuse(text, i, "a /* comment is never closed")
            i = j + 2
        elif ch in ("'", '"'):
            j = i + 1
            while j < n and text[j] != ch:
                if text[j] == "\\":
                    if j + 1 < n and text[j + 1] in "'\"":
                        raise _refuse(text, j, "an escaped quote inside a string is refused (engines disagree on "
                                               "it); use the other quote mark or pass the value as a parameter")
                    j += 1
                j += 1
            if j >= n:
                raise _refuse(text, i, "a string is never closed")
            out.append(Token("string", text[i:j + 1], *_where(text, i)))
            i = j + 1
        elif ch == "`" or (ch == "$" and text.startswith("`", i + 1)):
            start = i
            j = i + 1 if ch == "`" else i + 2
            name = []
            while True:
                k = text.find("`", j)
                if k < 0:
                    raise _refuse(text, start, "a `name` is never closed")
                name.append(text[j:k])
                if text.startswith("``", k):
                    name.append("`")
                    j = k + 2
                    continue
                break
            body = "".join(name)
            if "\\" in body:
                raise _refuse(text, start, "a backslash inside a `name` is refused (Cypher does not treat it "
                                           "as an escape; a check that did would be fooled)")
            out.append(Token("name" if ch == "`" else "param", body, *_where(text, start)))
            i = k + 1
        elif ch == "$":
            m = _WORD_RE.match(text, i + 1) or re.compile(r"\d+").match(text, i + 1)
            if not m:
                raise _refuse(text, i, "'$' must be followed by a parameter name")
            out.append(Token("param", m.group(), *_where(text, i)))
            i = m.end()
        elif m := _NUMBER_RE.match(text, i):
            out.append(Token("number", m.group(), *_where(text, i)))
            i = m.end()
        elif m := _WORD_RE.match(text, i):
            out.append(Token("word", m.group(), *_where(text, i)))
            i = m.end()
        else:
            out.append(Token("punct", ch, *_where(text, i)))
            i += 1
    return out


def _at(t: Token, why: str) -> StatementRefused:
    return StatementRefused(f"line {t.line}, column {t.column}: {why}")


def _call_name(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """If a function call starts at word ``i`` (``name(`` or ``ns.name(``), its dotted name and end index."""
    parts, j = [tokens[i].text], i + 1
    while j + 1 < len(tokens) and tokens[j].text == "." and tokens[j + 1].kind in ("word", "name"):
        parts.append(tokens[j + 1].text)
        j += 2
    if j < len(tokens) and tokens[j].text == "(":
        return ".".join(parts), j
    return None


def check_read_statement(text: str) -> list[Token]:
    """Refuse ``text`` unless it is one read statement (module docstring); return its tokens.

    Raises ``StatementRefused`` naming the line, column and word at fault.

    Examples
    --------
    >>> len(check_read_statement("MATCH (o:Organization) RETURN o.name AS name ORDER BY name LIMIT 3"))
    17
    >>> check_read_statement("UNWIND [1] AS `a\\\\` LOAD FROM '/etc/passwd' RETURN * // `")
    Traceback (most recent call last):
    ...
    graph.query.readonly.StatementRefused: line 1, column 15: a backslash inside a `name` is refused (Cypher does not treat it as an escape; a check that did would be fooled) (queries are read-only)
    """
    tokens = tokenize(text)
    while tokens and tokens[-1].text == ";":
        tokens.pop()
    if not tokens:
        raise StatementRefused("line 1, column 1: the statement is empty (queries are read-only)")
    only = "only MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN and UNION are"
    for t in tokens:
        if t.text == ";":
            raise _at(t, "it holds several statements; a read-only query is one statement, write one per file")
    first = tokens[0]
    if first.kind != "word" or first.text.upper() not in START_WORDS:
        raise _at(first, f"a read-only query starts with {', '.join(sorted(START_WORDS))}, not '{first.text}'")
    skip_until = -1
    for i, t in enumerate(tokens):
        if t.kind != "word" or i <= skip_until:
            continue
        prev = tokens[i - 1] if i else None
        if prev is not None and prev.text == "." and prev.kind == "punct":
            continue  # a property key: o.name
        upper = t.text.upper()
        call = _call_name(tokens, i)
        if call is not None and upper not in _BEFORE_PARENTHESIS:
            name, end = call
            if name.lower() not in READ_FUNCTIONS:
                raise _at(t, f"it calls '{name}', which is not on the read-only list of functions")
            skip_until = end
            continue
        if upper in READ_KEYWORDS:
            continue
        if upper in OTHER_KEYWORDS:
            raise _at(t, f"{upper} is not allowed in a read-only query ({only})")
        after_value = prev is not None and (
            (prev.kind in _VALUE_END and not (prev.kind == "word" and prev.text.upper() in _NOT_VALUES))
            or prev.text in (")", "]", "}"))
        if after_value:
            close = difflib.get_close_matches(upper, sorted(READ_KEYWORDS), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise _at(t, f"'{t.text}' is not allowed in a read-only query ({only}){hint}")
    return tokens
