"""The command line imports a command's module only when that command runs (graph/cli/__init__.py)."""
from __future__ import annotations

import json
import subprocess
import sys

from .support import ROOT

HEAVY = ("matplotlib", "networkx", "numpy")  # what other commands' options and analyses need


def _fresh(code: str) -> dict:
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={"DEALGRAPH_OUT": "/nonexistent", "PATH": "/usr/bin:/bin"})
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_commands_map_to_the_modules_that_define_them_and_load_alone():
    found = _fresh(
        "import json, sys; from click.testing import CliRunner; from graph.cli import COMMANDS, main; "
        f"heavy = {HEAVY!r}; "
        "mods = {'graph.cli.' + m for m in COMMANDS.values()} | set(heavy); "
        "before = sorted(m for m in sys.modules if m in mods); "
        "r = CliRunner().invoke(main, ['search', 'Acme', '--seeds', 'tests/fixtures/minimal', '--format', 'json']); "
        "assert r.exit_code == 0, r.output; "
        "after = sorted(m for m in sys.modules if m in mods); "
        "where = {n: c.callback.__module__ for n, c in main.commands.items()}; "
        "print(json.dumps({'before': before, 'after': after, 'where': where, "
        "'COMMANDS': {n: 'graph.cli.' + m for n, m in COMMANDS.items()}}))")
    # before a command runs, no command module; `search` loads its own module and the shared options
    assert found["before"] == []
    assert found["after"] == ["graph.cli.build", "graph.cli.search"]
    # listing the commands loads them all, and each is where COMMANDS says
    assert found["where"] == found["COMMANDS"]
