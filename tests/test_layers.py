"""The package's layers, as the folder listing shows them: imports only go down, nothing cycles,
only the plugin and the commands know Pelican, and no module grows into a god module."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
# Lowest first. A module may import its own layer and those before it.
LAYERS = ["records", "evidence", "report", "outputs", "plugin", "commands"]
MAX_LINES = 450


def layer_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE).parts
    return relative[0] if len(relative) > 1 else "top"   # cli, docs, __main__: above everything


def imported(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append((node.lineno, "." * node.level + (node.module or "")))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def modules():
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_sits_in_a_layer():
    for path in modules():
        layer = layer_of(path)
        assert layer in LAYERS or path.name in ("__init__.py", "__main__.py", "cli.py", "docs.py"), path


def test_imports_only_go_down():
    wrong = []
    for path in modules():
        layer = layer_of(path)
        if layer == "top":
            continue
        for line, module in imported(path):
            assert not module.startswith("."), f"{path}:{line}: use absolute imports (pipeline.<layer>)"
            parts = module.split(".")
            if parts[0] == "pipeline" and len(parts) > 1 and parts[1] in LAYERS:
                if LAYERS.index(parts[1]) > LAYERS.index(layer):
                    wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports {module}")
    assert not wrong, "imports that go up a layer:\n" + "\n".join(wrong)


def test_only_the_plugin_and_commands_know_pelican():
    for path in modules():
        if layer_of(path) in ("records", "evidence", "report", "outputs"):
            for line, module in imported(path):
                assert not module.startswith("pelican"), f"{path}:{line} imports {module}"
            text = path.read_text(encoding="utf-8")
            assert "settings.get(" not in text and 'settings["' not in text, (
                f"{path}: Pelican settings are read by the plugin and the commands only")


def test_no_cycle_between_modules():
    graph: dict[str, set[str]] = {}
    for path in modules():
        name = ".".join(("pipeline", *path.relative_to(PACKAGE).with_suffix("").parts))
        graph[name.removesuffix(".__init__")] = {module for _, module in imported(path)
                                                if module.startswith("pipeline.")}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]):
        state[node] = 1
        for target in graph.get(node, ()):
            target = target if target in graph else target.rsplit(".", 1)[0]
            if state.get(target) == 1:
                raise AssertionError("import cycle: " + " -> ".join(trail + [node, target]))
            if target in graph and not state.get(target):
                visit(target, trail + [node])
        state[node] = 2

    for node in graph:
        if not state.get(node):
            visit(node, [])


def test_no_god_module():
    big = [f"{path.relative_to(PACKAGE)}: {count} lines" for path in modules()
           if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not big, f"modules over {MAX_LINES} lines (split them by concept):\n" + "\n".join(big)


def test_the_policy_is_typed():
    # The policy is read through typed fields (records/policy.py), never as the raw YAML dict.
    from pipeline.records.policy import Policy
    assert "data" not in Policy.__dataclass_fields__
    untyped = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                every = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                untyped += [f"{path.relative_to(PACKAGE)}:{arg.lineno} {node.name}()" for arg in every
                            if arg.arg == "policy" and arg.annotation is None]
    assert not untyped, "policy parameters without a type:\n" + "\n".join(untyped)


def test_each_repeated_block_has_one_home():
    # Issue 10 made these one: a second copy should reuse the first instead.
    homes = {
        r"\.get\(\w+\) if isinstance\(\w+, dict\) else None": "records/complaint.py",   # field_at
        r"""\.replace\("~1", "/"\)""": "records/schemaref.py",                           # $ref pointer
        r"""["']met["']: ["']tepat_waktu["']""": "records/labels.py",                    # ENGINE_STATES (the one status vocabulary)
        r"""["']langsung["']: ["']Langsung""": "records/labels.py",                       # channel labels
        r"""\(["']lapor_tim["'], ["']waktu["']\)\}?,? *["']responded_at""": "report/deadlines.py",  # CLAIMS
        r"policy, problems = load_policy\((?:args\.)?repo\)\n\s+if policy is None:\n\s+"
        r"for problem in problems:": "commands/common.py",                                # policy_or_why
        r"if not args\.repo\.is_dir\(\):\n(?:.*\n){1,3}\s+policy(?:, \w+)? = policy_or_why": None,   # in policy_or_why
        r"""channels\.get\(["']website["']""": "records/policy.py",                         # Policy.website_url
        r"""\[["']\$ref["']\]""": "records/schemaref.py",                                    # follow_refs
    }
    import re
    for pattern, home in homes.items():
        found = [str(path.relative_to(PACKAGE)) for path in modules()
                 if re.search(pattern, path.read_text(encoding="utf-8"))]
        assert found == ([home] if home else []), (pattern, found)


def test_every_top_level_name_is_used_by_the_program():
    # Dead code, or a second path kept alive by tests only (a second Jinja environment, open-data
    # documents made beside write_all, figures counted without the report): every function, class
    # and constant a module defines is named somewhere else in the package or the Pelican settings.
    # A test's own oracle lives in tests/.
    import re
    sources = {path: path.read_text(encoding="utf-8") for path in modules()}
    text = "\n".join([*sources.values(), *(path.read_text(encoding="utf-8") for path in
                                          (PACKAGE.parent / "pelicanconf.py", PACKAGE.parent / "publishconf.py"))])
    unused = []
    for path, source in sources.items():
        for node in ast.parse(source).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [target.id for target in node.targets if isinstance(target, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            else:
                continue
            unused += [f"{path.relative_to(PACKAGE)}: {name}" for name in names if not name.startswith("__")
                       and len(re.findall(rf"\b{re.escape(name)}\b", text)) < 2]
    assert unused == []
