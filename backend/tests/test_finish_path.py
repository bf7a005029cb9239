"""Every way a job ends goes through `app.worker.lifecycle.finish`: no other code sets a finish time or a finished
status, so none can skip the commit, the event or the notifications that come with an ending."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
FINISHED = {"succeeded", "failed", "cancelled"}


def _ends_a_job(node: ast.AST) -> bool:
    if not isinstance(node, ast.Assign | ast.AnnAssign):
        return False
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    for target in targets:
        if isinstance(target, ast.Attribute) and target.attr == "finished_at":
            return True
        if isinstance(target, ast.Attribute) and target.attr == "status":
            value = node.value  # a finished `JobStatus` member, or a status passed in (only `finish` takes one)
            if isinstance(value, ast.Name) or (
                isinstance(value, ast.Attribute)
                and value.attr in FINISHED
                and isinstance(value.value, ast.Name)
                and value.value.id == "JobStatus"
            ):
                return True
    return False


def test_only_finish_ends_a_job():
    enders = []
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text())
        finish = {
            id(inner)
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name == "finish" and path.match("worker/lifecycle.py")
            for inner in ast.walk(node)
        }
        enders += [
            (f"{path.relative_to(APP)}:{node.lineno}", id(node) in finish)
            for node in ast.walk(tree)
            if _ends_a_job(node)
        ]
    assert enders and all(in_finish for _, in_finish in enders), [where for where, inside in enders if not inside]
