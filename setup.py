"""Build hook: a wheel carries the ontology, the query library and the shipped seeds.

They stay top-level folders in the repository (analysts and the tests read them there);
``build_py`` copies them into ``graph/_data/`` of the built package, where
``graph.core.resources.resource_dir`` finds them after a plain ``pip install``.
Everything else is declared in ``pyproject.toml``.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PACKAGED = ("ontology", "queries", "seeds", "examples")  # keep in step with graph/core/resources.py


class BuildPyWithData(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's folders directly
        for name in PACKAGED:
            dst = Path(self.build_lib) / "graph" / "_data" / name
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(ROOT / name, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "tools"))


setup(cmdclass={"build_py": BuildPyWithData})
