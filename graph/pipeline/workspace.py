"""``dealgraph init``: a working folder an analyst can build at once.

``init_workspace(DIR)`` creates ``DIR/seeds`` (one fictional example record of each kind, or
the shipped dataset with ``with_shipped_seeds``), ``DIR/documents`` (the document the example
records cite), ``DIR/import`` (the example mapping file for ``dealgraph import``, every key commented) and a
short ``DIR/README.md``. It never overwrites: a folder that already holds seeds is refused.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from ..core.errors import DealgraphError
from ..core.resources import resource_dir, shipped_seeds

STARTER = Path(__file__).resolve().parent / "starter"
IMPORT_EXAMPLES = ("example-mapping.yaml",)


def init_workspace(folder: Path | str, *, with_shipped_seeds: bool = False) -> list[Path]:
    """Create a dealgraph working folder at ``folder``; returns the files written, sorted.

    Raises DealgraphError when ``folder`` exists and is not empty (nothing is written then).
    """
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise DealgraphError(f"{folder} exists and is not empty; give a new or empty folder "
                             "(nothing was written)")
    staging = folder.parent / f".{folder.name}.init-tmp"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        shutil.copytree(shipped_seeds() if with_shipped_seeds else STARTER / "seeds", staging / "seeds",
                        ignore=shutil.ignore_patterns("DATACARD.md", "README.md"))
        if not with_shipped_seeds:
            shutil.copytree(STARTER / "documents", staging / "documents")
        (staging / "import").mkdir()
        examples = resource_dir("examples") / "import"
        for name in IMPORT_EXAMPLES:
            shutil.copy2(examples / name, staging / "import" / name)
        shutil.copy2(STARTER / "README.md", staging / "README.md")
        if folder.exists():
            folder.rmdir()
        staging.rename(folder)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise DealgraphError(f"cannot create {folder}: {exc.strerror or exc}") from None
    return sorted(p for p in folder.rglob("*") if p.is_file())
