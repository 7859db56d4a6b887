"""What a corpus driver sees: the registry, the loading context and the shared helpers.

A driver (corpus/drivers/<group>.py) is our own code. It loads a public script from its extracted folder, builds the
script's model(s) and synthetic inputs of the script's default shapes, and returns one iteration of the script's loop
body as `step()`, exactly like the FIXTURES table of test/fixtures/measure.py (whose counter, stubs and helpers it
reuses). See corpus/README.md for the conventions.
"""
from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import re
import sys
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "test" / "fixtures"))

import measure as M  # noqa: E402  (re-executes with OpenBLAS first on the library path when it is installed)
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

images, labels, epochs_steps, ceil_div, DATASETS = M.images, M.labels, M.epochs_steps, M.ceil_div, M.DATASETS
RUN_NAME = "__floplens_corpus__"

DRIVERS: dict[str, callable] = {}


def driver(script_id: str):
    """Registers the function that measures the corpus script `script_id`."""
    def deco(fn):
        if script_id in DRIVERS:
            raise ValueError(f"two drivers for {script_id}")
        DRIVERS[script_id] = fn
        return fn
    return deco


# ---------------------------------------------------------------------------------------------------------------------
# Packages that are not installed here (transformers, peft, wandb, ...): any import nothing else can satisfy gets a
# permissive stub module, recorded so the truth says which packages were stubbed.

STUBBED_IMPORTS: set[str] = set()  # what the truth reports: the top-level packages that were stubbed
STUB_MODULES: set[str] = set()  # the module names the stub finder created (only these are forgotten afterwards)


class _StubLoader(importlib.abc.Loader):
    def create_module(self, spec):
        mod = types.ModuleType(spec.name)
        mod.__path__ = []
        mod.__getattr__ = _stub_getattr
        return mod

    def exec_module(self, module):
        pass


def _stub_getattr(attr):
    if attr.startswith("__"):
        raise AttributeError(attr)
    return M._Anything()


class _StubFinder(importlib.abc.MetaPathFinder):
    """Last on sys.meta_path: only imports that every real finder failed reach it."""

    active = False

    def find_spec(self, fullname, path, target=None):
        if not self.active:
            return None
        top = fullname.split(".")[0]
        # A missing submodule of a real, installed package (torch.foo, sympy's optional gmpy2 probe) is a real
        # ImportError, as without the stubs: stubbing it would make optional-dependency probes take the wrong branch.
        if top != fullname and top in sys.modules and top not in STUB_MODULES:
            return None
        STUBBED_IMPORTS.add(top)
        STUB_MODULES.add(fullname)
        return importlib.machinery.ModuleSpec(fullname, _StubLoader(), is_package=True)


STUB_FINDER = _StubFinder()
sys.meta_path.append(STUB_FINDER)


def _install_shims() -> None:
    """APIs of torch >= 2 that public scripts use and Debian's torch 1.13 lacks; none of them changes what is counted."""
    if not hasattr(torch, "compile"):
        torch.compile = lambda model=None, *a, **k: model if model is not None else (lambda m: m)
    if not hasattr(nn, "RMSNorm"):
        class RMSNorm(nn.Module):
            def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None):
                super().__init__()
                shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
                self.eps = eps if eps is not None else 1e-6
                self.weight = nn.Parameter(torch.ones(shape)) if elementwise_affine else None

            def forward(self, x):
                y = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
                return y * self.weight if self.weight is not None else y
        nn.RMSNorm = RMSNorm
    if not hasattr(torch, "get_default_device"):
        torch.get_default_device = lambda: torch.device("cpu")
    if not hasattr(torch, "accelerator"):  # torch 2.6: torch.accelerator.is_available() / current_accelerator()
        torch.accelerator = types.SimpleNamespace(is_available=lambda: False, device_count=lambda: 0,
                                                  current_accelerator=lambda: torch.device("cpu"))


# ---------------------------------------------------------------------------------------------------------------------
# The context a driver gets.

NOTEBOOK_SKIP = r"^\s*(for epoch\b|for .* in .*epoch|trainer\.train\(|plt\.)"


class Ctx:
    def __init__(self, entry: dict, extracted: Path):
        self.entry = entry
        self.id = entry["id"]
        self.repo_root = extracted                        # repo-relative paths live under it
        self.root = extracted / (entry.get("root") or "")  # the workspace folder the user has open
        self.script = extracted / entry["path"]
        self.argv = list(entry.get("argv") or [])
        self.notes: list[str] = []

    # -- the script's own objects -----------------------------------------------------------------------------------
    def source(self) -> str:
        if self.script.suffix == ".ipynb":
            nb = json.loads(self.script.read_text(encoding="utf-8"))
            chunks = []
            for cell in nb.get("cells", []):
                if cell.get("cell_type") != "code":
                    continue
                src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                # magics and shell lines (%matplotlib, !pip); a continuation line "% (a, b)" of a formatted string stays
                lines = [ln for ln in src.splitlines() if not re.match(r"\s*(%%?|!)[A-Za-z_./]", ln)]
                chunks.append("\n".join(lines))
            return "\n\n".join(chunks) + "\n"
        return self.script.read_text(encoding="utf-8")

    def load(self, stop_at: str | None = None, skip: str | None = None, run_name: str = RUN_NAME,
             globals_: dict | None = None) -> M.Loaded:
        """Executes the script under a non-__main__ name in its folder and returns its globals.

        stop_at: a regex; only the top-level statements before the first one whose first line matches it run (for
            scripts that train at module level). skip: a regex; top-level statements whose first line matches it are
            left out (notebooks default to skipping training loops and plots).
        """
        src = self.source()
        tree = ast.parse(src)
        lines = src.splitlines()
        if skip is None and self.script.suffix == ".ipynb":
            skip = NOTEBOOK_SKIP
        body = []
        for stmt in tree.body:
            first = lines[stmt.lineno - 1] if stmt.lineno - 1 < len(lines) else ""
            if stop_at and re.search(stop_at, first):
                break
            if skip and re.search(skip, first):
                continue
            body.append(stmt)
        code = compile(ast.Module(body=body, type_ignores=[]), str(self.script), "exec")
        g = dict(globals_ or {})
        g.update({"__name__": run_name, "__file__": str(self.script), "__builtins__": __builtins__})
        with self._env(), contextlib.redirect_stdout(open(os.devnull, "w")):
            exec(code, g)
        return M.Loaded(g)

    def module(self, name: str):
        """Imports a local module of the script (from its folder or the extracted workspace root)."""
        with self._env():
            return importlib.import_module(name)

    def args(self, parser_name: str = "parser", ns: dict | None = None):
        """The argparse defaults: parses self.argv with the script's module-level parser (or a function returning one)."""
        p = (ns or {}).get(parser_name)
        if callable(p) and not hasattr(p, "parse_args"):
            p = p()
        if p is None:
            raise AttributeError(f"no parser named {parser_name}")
        return p.parse_args(self.argv)

    def note(self, text: str) -> None:
        self.notes.append(text)

    @contextlib.contextmanager
    def _env(self):
        old_cwd, old_argv, old_path = os.getcwd(), sys.argv[:], sys.path[:]
        os.chdir(self.script.parent)
        sys.argv = [str(self.script)] + self.argv
        for p in (self.root, self.script.parent):
            if str(p) not in sys.path:
                sys.path.insert(0, str(p))
        STUB_FINDER.active = True
        try:
            yield
        finally:
            STUB_FINDER.active = False
            os.chdir(old_cwd)
            sys.argv = old_argv
            sys.path[:] = old_path


def prepare() -> None:
    torch.set_num_threads(M.THREADS)
    M.install_stubs()
    _install_shims()


def forget_local_modules(root: Path) -> None:
    """Drops modules imported from an extracted folder so the next script's `model.py` is its own."""
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, "__file__", None) or ""
        if f and str(root) in f:
            del sys.modules[name]
    for name in list(STUB_MODULES):
        sys.modules.pop(name, None)
    STUB_MODULES.clear()
