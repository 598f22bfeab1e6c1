"""Import spaCy without its command-line package, which extraction never uses.

``spacy/__init__.py`` imports ``spacy.cli`` only to re-export ``spacy.info``. That
package brings weasel, typer, requests, httpx and about 370 modules with it: 0.2 s
of our 1.1 s start-up, paid on every ``make extract`` and by every worker spawned
where fork is unavailable, for code that downloads models and trains them.

``install`` puts a finder in front of the import system that acts once, on the
first ``import spacy`` (by any module): while spaCy's own ``__init__`` runs, the
names ``spacy.cli`` and ``spacy.cli.info`` resolve to two tiny stand-ins, which
are taken away as soon as it returns. Nothing else changes: ``import spacy.cli``
afterwards imports the real package, and ``spacy.info(...)`` imports it on first
call. If spaCy is already imported, or its layout changes so that the stand-ins
are not used, spaCy is imported exactly as usual.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec

_STANDINS = ("spacy.cli", "spacy.cli.info")


def info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``: the real one, imported on first call."""
    from spacy.cli.info import info as real_info

    return real_info(*args, **kwargs)


class _Loader:
    """spaCy's own loader, with the stand-ins present while ``spacy/__init__`` runs.

    Plain classes here and below: the import system only calls their methods, and
    this module is imported before anything else of ours.
    """

    def __init__(self, real: Loader) -> None:
        self.real = real

    def create_module(self, spec: ModuleSpec) -> types.ModuleType | None:
        return self.real.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        cli = types.ModuleType("spacy.cli", "Stand-in while spaCy is imported (pipeline.lazy_spacy_cli).")
        cli_info = types.ModuleType("spacy.cli.info", cli.__doc__)
        cli_info.info = info  # type: ignore[attr-defined]
        placed = {name: stub for name, stub in zip(_STANDINS, (cli, cli_info)) if name not in sys.modules}
        sys.modules.update(placed)
        try:
            self.real.exec_module(module)
        finally:
            for name, stub in placed.items():
                if sys.modules.get(name) is stub:
                    del sys.modules[name]
            if getattr(module, "cli", None) is cli:
                del module.cli
            # Later readers of the module's loader (importlib.resources, pkgutil) get spaCy's own.
            module.__loader__ = self.real
            if module.__spec__ is not None:
                module.__spec__.loader = self.real


class _Finder:
    """Finds spaCy the usual way, once, and hands back its spec with ``_Loader``."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != "spacy":
            return None
        uninstall()
        spec = importlib.util.find_spec("spacy")
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _Loader(spec.loader)
        return spec


_FINDER = _Finder()


def install() -> None:
    """Import spaCy without ``spacy.cli`` from now on (no-op if spaCy is already imported)."""
    if "spacy" not in sys.modules and _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)


def uninstall() -> None:
    """Take the finder away (it removes itself on first use)."""
    while _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
