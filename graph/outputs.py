"""Write build outputs so that nothing is ever half-written.

Files go to a staging folder beside ``out/`` and are moved into place only when
every one of them is complete; a failure leaves the previous outputs as they were.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


class Staging:
    """A temporary folder next to ``out_dir``; ``commit()`` moves its files into ``out_dir``."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}-staging-", dir=self.out_dir.parent))

    def path(self, name: str) -> Path:
        p = self.dir / name
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def write_text(self, name: str, text: str) -> Path:
        p = self.path(name)
        p.write_text(text, encoding="utf-8")
        return p

    def write_json(self, name: str, data: Any) -> Path:
        return self.write_text(name, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")

    def commit(self) -> list[Path]:
        """Move every staged file into ``out_dir`` (replacing same-named files). Returns their final paths."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        moved = []
        for src in sorted(p for p in self.dir.rglob("*") if p.is_file()):
            dst = self.out_dir / src.relative_to(self.dir)
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            moved.append(dst)
        self.discard()
        return moved

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        if exc_type is not None:
            self.discard()
