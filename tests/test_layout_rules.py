"""Rules of the package layout (issue #15): small modules, no import cycle, and a README that names the tree.

* No module under ``graph/`` is over ``MAX_LINES`` lines (the style guide says about 400).
* The modules of ``graph`` import each other without a cycle. The import graph is read from the AST of every
  ``graph/**/*.py``: ``import graph.x``, ``from graph.x import y``, and relative imports (``from .x``,
  ``from ..x import y``) resolved against the importing module; ``from pkg import name`` counts as an import
  of ``pkg.name`` when that is a module. Imports inside functions count too (a cycle through a lazy import
  is still a cycle, only deferred). Two things are left out, each because it never runs an import:
  the body of ``if TYPE_CHECKING:`` (read by type checkers only), and the implicit import of a package's
  ``__init__`` when one of its submodules is imported (a package importing its own submodules is how a
  package is assembled, not a cycle).
* The README's "Layout" section is a tree of ``graph/``: every top-level module and package of ``graph/``
  has a line of its own with a description, every path it lists exists, a package whose modules are listed
  has all of them listed, and every ``name.py`` or ``name/`` a description mentions exists (beside the
  entry, in ``graph/``, or in the repository, as ``queries/``).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "graph"
MAX_LINES = 420


# --------------------------------------------------------------------------- import graph
def module_name(path: Path, root: Path = ROOT) -> tuple[str, bool]:
    """``graph/publish/maps/render.py`` → ``('graph.publish.maps.render', False)``; a package's ``__init__.py`` → its name, True."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def imported_names(tree: ast.Module, module: str, is_package: bool) -> list[tuple[str, int]]:
    """Every absolute name an import statement of ``module`` brings in, with its line, relative imports resolved
    (``from .x import a`` in ``graph.pkg.mod`` gives ``graph.pkg.x`` and ``graph.pkg.x.a``)."""
    out: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    visit(sub)
                continue
            if isinstance(child, ast.Import):
                out.extend((a.name, child.lineno) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = module.split(".") if is_package else module.split(".")[:-1]
                    base = base[:len(base) - (child.level - 1)]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                out.append((target, child.lineno))
                out.extend((f"{target}.{a.name}", child.lineno) for a in child.names if a.name != "*")
            visit(child)

    visit(tree)
    return out


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module name → the modules of the package it imports (only names that are modules of the package)."""
    files = {module_name(p, package.parent): p for p in sorted(package.rglob("*.py"))}
    modules = {name for name, _ in files}
    graph: dict[str, set[str]] = {}
    for (name, is_pkg), path in files.items():
        targets = set()
        for imported, _ in imported_names(ast.parse(path.read_text(encoding="utf-8")), name, is_pkg):
            if imported in modules and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(v: str) -> None:  # recursion depth is bounded by the number of modules (~100)
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return sorted(found)


def test_imported_names_resolves_relative_and_lazy_imports():
    src = "from .x import a\nfrom .. import y\nimport graph.z\ndef f():\n    from graph.w import b\n"
    assert [n for n, _ in imported_names(ast.parse(src), "graph.pkg.mod", False)] == \
        ["graph.pkg.x", "graph.pkg.x.a", "graph", "graph.y", "graph.z", "graph.w", "graph.w.b"]
    # in a package's __init__, '.' is the package itself
    assert [n for n, _ in imported_names(ast.parse("from .x import a\n"), "graph.pkg", True)] == \
        ["graph.pkg.x", "graph.pkg.x.a"]


def test_cycles_are_the_strong_components():
    # a -> b -> a is a cycle; c only points into it; d -> e -> f -> d is another
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}, "d": {"e"}, "e": {"f"}, "f": {"d"}}) == \
        [["a", "b"], ["d", "e", "f"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycle():
    found = cycles(import_graph())
    assert not found, "import cycles among graph's modules: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_cycle_check_finds_a_lazy_cycle(tmp_path):
    """The check is not blind to imports inside functions, nor to relative ones; it skips TYPE_CHECKING."""
    pkg = tmp_path / "pkg"
    (pkg / "models").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "models" / "__init__.py").write_text("from .records import Deal\n")
    (pkg / "models" / "records.py").write_text("class Deal:\n    def headline(self):\n"
                                               "        from ..values import headline\n        return headline(self)\n")
    (pkg / "values.py").write_text("from typing import TYPE_CHECKING\nfrom .models import Deal\n")
    assert cycles(import_graph(pkg)) == [["pkg.models", "pkg.models.records", "pkg.values"]]
    (pkg / "models" / "records.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                               "    from ..values import headline\nclass Deal:\n    pass\n")
    assert cycles(import_graph(pkg)) == []


# --------------------------------------------------------------------------- module size
def test_no_module_is_over_the_size_limit():
    sizes = {p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    assert len(sizes) > 40
    over = {p: n for p, n in sorted(sizes.items()) if n > MAX_LINES}
    assert not over, f"modules over {MAX_LINES} lines (split them by concept): {over}"


# --------------------------------------------------------------------------- README layout
ENTRY_RE = re.compile(r"^(?P<indent> *)(?P<name>[A-Za-z0-9_.]+/?)(?:\s{2,}(?P<text>.*))?$")
MENTION_RE = re.compile(r"(?<![\w./])([a-z_][a-z0-9_]*(?:\.py|/))(?![\w])")


def layout_tree(readme: str) -> list[tuple[str, int, str]]:
    """The ``graph/`` part of the README's Layout block: (path under graph/, depth, description) per entry.

    Entries are indented by two spaces per level under ``graph/``; a line indented otherwise (or deeper than
    one level below the previous entry) continues the previous description.
    """
    section = re.split(r"(?m)^## Layout\n", readme, maxsplit=1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1].splitlines()[1:]
    entries: list[tuple[str, int, str]] = []
    parents: list[str] = []
    inside = False
    for line in block:
        if not line.strip():
            continue
        if not line.startswith(" "):
            inside = line.startswith("graph/")
            continue
        if not inside:
            continue
        indent = len(line) - len(line.lstrip(" "))
        depth = indent // 2
        m = ENTRY_RE.match(line)
        if entries and (m is None or indent % 2 or depth > len(parents) + 1):
            path, d, text = entries[-1]
            entries[-1] = (path, d, f"{text} {line.strip()}")  # a continued description
            continue
        assert m is not None and depth == 1 or entries, f"cannot read the Layout line {line!r}"
        parents = parents[:depth - 1]
        entries.append(("".join(parents) + m["name"], depth, m["text"] or ""))
        if m["name"].endswith("/"):
            parents.append(m["name"])
    return entries


def top_level() -> set[str]:
    """Top-level modules, packages and data folders of ``graph/`` (``__init__``/``__main__`` and caches aside)."""
    names = set()
    for p in PACKAGE.iterdir():
        if p.name.startswith(("_", ".")):
            continue
        if p.is_dir():
            names.add(p.name + "/")
        elif p.suffix == ".py":
            names.add(p.name)
    return names


def test_layout_tree_reads_nesting_and_continued_lines():
    text = ("## Layout\n\n```\ngraph/  the package\n  a.py  one\n  b/    two,\n            continued\n"
            "    c.py  three\n  d.py  four\nseeds/  not graph\n```\n\n## Next\n")
    assert layout_tree(text) == [("a.py", 1, "one"), ("b/", 1, "two, continued"), ("b/c.py", 2, "three"),
                                 ("d.py", 1, "four")]


def test_readme_layout_names_the_tree():
    entries = layout_tree((ROOT / "README.md").read_text(encoding="utf-8"))
    named = [path for path, _, _ in entries]
    assert len(named) == len(set(named)), "an entry is listed twice"
    assert {p for p, depth, _ in entries if depth == 1} == top_level(), \
        "README Layout's top level differs from graph/'s (left: listed; right: in the tree)"
    for path, _, text in entries:
        where = PACKAGE / path
        assert where.exists(), f"README Layout names graph/{path}, which does not exist"
        assert text, f"README Layout gives graph/{path} no description"
        base = where if where.is_dir() else where.parent
        for mention in MENTION_RE.findall(text):
            assert any((d / mention).exists() for d in (base, PACKAGE, ROOT)), \
                f"README Layout's line for graph/{path} mentions {mention}, which does not exist"
        children = {e for e in named if e.startswith(path) and e != path and "/" not in e[len(path):].rstrip("/")}
        if where.is_dir() and children:
            here = {path + p.name + ("/" if p.is_dir() else "") for p in where.iterdir()
                    if not p.name.startswith(("_", ".")) and (p.suffix == ".py" or p.is_dir())}
            assert here == children, f"README Layout lists part of graph/{path}: list all of it or none"
