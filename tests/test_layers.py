"""Architecture: the imports drawn from the source (ast) run one way, and modules stay small.

Layers, bottom to top — a module may import its own layer and those below, never above:
  vntext (pure text, imports nothing of the project) < config (Settings) < vectorstore (the store)
  < ingest (files → passages → the store) < assistant (the core) < ui / app.py / bench (the tops).
The data flows ingest → vectorstore → assistant → ui; the imports point the other way, except that
the ingest pipeline writes into the store, so it imports vectorstore/ (and vectorstore/ never ingest/).
"""
from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [["vntext"], ["config"], ["vectorstore"], ["ingest"], ["assistant"], ["ui", "app", "bench"]]
LAYER_OF = {top: i for i, tops in enumerate(LAYERS) for top in tops}

# The old homes of moved modules: nothing may import them again.
MOVED = {"ingest.text": "vntext", "ingest.dedupe": "vntext.shingles", "vectorstore.settings": "config"}

MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 80
SIZE_ENFORCED = ["vntext", "ingest", "vectorstore", "config.py", "assistant", "ui", "app.py"]


def _project_files(tops) -> list[Path]:
    out = []
    for top in tops:
        path = ROOT / top
        if path.is_dir():
            out += sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
        elif path.suffix == ".py" and path.exists():
            out.append(path)
        elif (ROOT / f"{top}.py").exists():
            out.append(ROOT / f"{top}.py")
    return out


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.lru_cache(maxsize=None)
def _imports(path: Path) -> frozenset[str]:
    """Absolute names of every module imported anywhere in the file (function-level imports too)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            names |= {f"{base}.{a.name}" for a in node.names}  # "from ingest import text"
    return frozenset(names)


def _project_import_graph() -> dict[str, set[str]]:
    graph = {}
    for path in _project_files([top for tops in LAYERS for top in tops]):
        graph[_module_name(path)] = {n for n in _imports(path) if n.split(".")[0] in LAYER_OF}
    return graph


def test_every_layer_is_present():
    assert {"vntext", "config", "vectorstore", "ingest", "assistant"} <= {m.split(".")[0] for m in _project_import_graph()}


def test_imports_never_run_up_the_layers():
    upward = []
    for module, imported in _project_import_graph().items():
        own = LAYER_OF[module.split(".")[0]]
        for name in imported:
            if name.rpartition(".")[0] in imported:
                continue  # "from X import y" also records "X.y": report X once
            top = name.split(".")[0]
            if LAYER_OF[top] > own:
                upward.append(f"{module} → {name}")
    assert not upward, "imports that run up the layers:\n" + "\n".join(sorted(upward))


def test_vntext_imports_nothing_of_the_project():
    graph = _project_import_graph()
    assert all(n.split(".")[0] == "vntext" for m, names in graph.items() if m.startswith("vntext") for n in names)


def test_ingest_and_vectorstore_never_import_assistant_or_ui():
    bad = [(m, n) for m, names in _project_import_graph().items() if m.split(".")[0] in ("ingest", "vectorstore")
           for n in names if n.split(".")[0] in ("assistant", "ui", "app")]
    assert not bad


def test_moved_modules_are_gone_and_imported_nowhere():
    graph = _project_import_graph()
    for path in _project_files(["tests", "bench", "eval", "scripts"]):
        graph[_module_name(path)] = _imports(path)
    for old, new in MOVED.items():
        assert old not in graph, f"{old} moved to {new}: delete it"
        users = sorted(m for m, names in graph.items() if old in names)
        assert not users, f"{old} (now {new}) imported by {users}"


def _size_offenders(tops) -> list[str]:
    out = []
    for path in _project_files(tops):
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT)
        if (n := len(source.splitlines())) > MAX_FILE_LINES:
            out.append(f"{rel}: {n} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if (n := node.end_lineno - node.lineno + 1) > MAX_FUNCTION_LINES:
                    out.append(f"{rel}:{node.lineno} {node.name}(): {n} lines")
    return out


def test_files_and_functions_stay_small():
    offenders = _size_offenders(SIZE_ENFORCED)
    assert not offenders, "over the size limits:\n" + "\n".join(offenders)


def test_every_package_and_top_module_is_in_the_wheel():
    """pyproject lists packages one by one: a new subpackage (ingest/facts/) must be listed too."""
    import tomllib
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    tops = [d for d in ROOT.iterdir() if (d / "__init__.py").exists() and d.name not in ("tests", "bench")]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for top in tops for p in top.rglob("__init__.py")}
    assert on_disk - set(tool["packages"]) == set()
    assert "config" in tool.get("py-modules", [])
