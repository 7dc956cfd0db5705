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
# assistant/ in rooms by stage (issue 28): each old flat module lives in one room now
_ROOM_OF_OLD = {
    "understand": "query frame slots constraints constraint_match evidence parts roles legal_refs restore followup",
    "retrieve": "retriever lookup", "answer": "sentences decide compose render highlight",
    "speech": "outline outline_kinds outline_law outline_scope speech_frame speech_text outline_llm docx_export outline_eval",
    "accounts": "auth access"}
MOVED |= {f"assistant.{old}": f"assistant.{room}.{old}" for room, olds in _ROOM_OF_OLD.items() for old in olds.split()}
MOVED |= {"assistant.llm_stream": "assistant.llm.stream"}

# Inside assistant/, bottom to top: a room imports its own room and those below, never above. The answer as data
# (types, inputs) is the floor; reading the question, the chat-model clients and the accounts need nothing above
# it; retrieval reads the understood question; answering reads both; the speech outline is built from answers'
# parts; the service, the CLI and the eval harness sit on top.
ROOMS = [["assistant.types", "assistant.inputs", "assistant"],
         ["assistant.understand", "assistant.llm", "assistant.accounts"],
         ["assistant.retrieve"], ["assistant.answer"], ["assistant.speech"],
         ["assistant.service", "assistant.cli", "assistant.cli_users", "assistant.cli_backup", "assistant.evaluate",
          "assistant.langchain_retriever"]]
MAX_ASSISTANT_TOP_MODULES = 12

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


def _room(module: str) -> int:
    """The rank of an assistant module's room (the longest ROOMS prefix it falls under)."""
    best, rank = "", None
    for i, names in enumerate(ROOMS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > len(best):
                best, rank = name, i
    assert rank is not None, f"{module}: in no room of tests/test_layers.py ROOMS"
    return rank


def test_assistant_rooms_import_one_way():
    graph = _project_import_graph()
    upward = []
    for module, imported in graph.items():
        if module.split(".")[0] != "assistant":
            continue
        for name in imported:
            if name.split(".")[0] == "assistant" and name != "assistant" and name not in graph and \
                    name.rpartition(".")[0] in graph:
                name = name.rpartition(".")[0]  # "from assistant.answer.render import X" also records X
            if name.split(".")[0] == "assistant" and name in graph and _room(name) > _room(module):
                upward.append(f"{module} → {name}")
    assert not upward, "imports that run up the rooms of assistant/:\n" + "\n".join(sorted(upward))


def test_no_import_circles():
    """No module reaches itself through imports, function-level imports included (Tarjan's strongly connected
    components over the project's modules)."""
    graph = _project_import_graph()
    edges = {m: {n if n in graph else n.rpartition(".")[0] for n in names} & set(graph) - {m} for m, names in graph.items()}
    index, low, on_stack, stack, circles, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    assert not circles, "import circles:\n" + "\n".join(" ↔ ".join(c) for c in circles)


def test_assistant_top_level_stays_small():
    top = sorted(p.stem for p in (ROOT / "assistant").glob("*.py") if p.stem != "__init__")
    rooms = sorted(p.parent.name for p in (ROOT / "assistant").glob("*/__init__.py"))
    assert len(top) <= MAX_ASSISTANT_TOP_MODULES, top
    assert {f"assistant.{r}" for r in rooms} == {n for names in ROOMS for n in names if n.count(".") == 1
                                                 and not (ROOT / f"{n.replace('.', '/')}.py").exists()}


def test_the_picture_of_the_house_is_true():
    """docs/architecture.md names every room of assistant/ and, in each room's row, exactly its modules; the
    picture (Mermaid) names every room; the order it states is the order ROOMS enforces."""
    import re
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `assistant/(\w+)/` \| (.*) \|$", doc, re.M))
    on_disk = {p.parent.name: {m.stem for m in p.parent.glob("*.py") if m.stem != "__init__"}
               for p in (ROOT / "assistant").glob("*/__init__.py")}
    assert set(rows) == set(on_disk), "rooms in docs/architecture.md vs assistant/"
    for room, modules in on_disk.items():
        named = set(re.findall(r"`(\w+)`", rows[room])) - {"decision", "glossary"}
        if room != "llm":  # the chat-model room is described by what it does
            assert named == modules, f"assistant/{room}/: docs name {sorted(named)}, disk has {sorted(modules)}"
    mermaid = doc.split("```mermaid", 1)[1].split("```", 1)[0]
    assert all(f"assistant/{room}/" in mermaid for room in on_disk), "a room missing from the picture"
    stated = re.search(r"assistant \(types < (.*?)\)", doc.replace("\n", " ")).group(1)
    order = [[f"assistant.{n.strip().split('/')[0]}" for n in step.split(",")] for step in stated.split("<")]
    ranks = [min(_room(n) for n in step) for step in order]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks), f"docs order {stated} vs ROOMS"
