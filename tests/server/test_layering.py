"""SQL lives in server/queries (reads), server/actions (writes) and the storage plumbing (db, schema, search_index,
storage, backup, migrations, routing), nowhere else: views, the realtime layer, authentication and the CLI
call those functions. Read from the source, so a new `db.execute("SELECT …")` in a view fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import kayako_desktop.server as server_package

SERVER = Path(server_package.__file__).parent
NO_SQL = [*sorted((SERVER / "views").glob("*.py")), *sorted((SERVER / "realtime").glob("*.py")),
          SERVER / "auth.py", SERVER / "cli.py", SERVER / "api.py", SERVER / "services.py", SERVER / "wsgi.py"]
SQL = re.compile(r"^\s*(SELECT\s.*\bFROM\s|SELECT\s+\d|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|"
                 r"DELETE\s+FROM\s|REPLACE\s+INTO\s|WITH\s+\w+\s+AS\s|(CREATE|DROP|ALTER)\s+(TABLE|INDEX|VIEW|TRIGGER)\s|"
                 r"PRAGMA\s)", re.DOTALL)  # keywords in capitals, as all our SQL is written
DB_CALLS = {"execute", "executemany", "executescript", "one", "all", "row", "value"}
REDIS = {"pipe"}  # realtime/bus.py and presence.py run Redis pipelines: pipe.execute() is no SQL


def violations(source: str) -> list[str]:
    """SQL text and database calls in one module's source, as 'line: what'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
            found.append(f"{node.lineno}: SQL text {node.value[:40]!r}")
        elif isinstance(node, ast.JoinedStr):
            text = "".join(str(v.value) if isinstance(v, ast.Constant) else "x" for v in node.values)
            if SQL.match(text):
                found.append(f"{node.lineno}: SQL f-string {text[:40]!r}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DB_CALLS
              and not (isinstance(node.func.value, ast.Name) and node.func.value.id in REDIS)
              and node.args and isinstance(node.args[0], (ast.Constant, ast.JoinedStr))):
            found.append(f"{node.lineno}: .{node.func.attr}() with a statement")
    return sorted(set(found))


def test_views_realtime_auth_and_the_cli_hold_no_sql():
    assert len(NO_SQL) > 10
    found = {str(path.relative_to(SERVER)): v for path in NO_SQL
             if (v := violations(path.read_text(encoding="utf-8")))}
    assert found == {}, "move these into server/queries (reads) or server/actions (writes)"


def test_the_check_sees_sql_written_in_each_way():
    assert violations('rows = db.execute("SELECT id FROM agents").fetchall()') == [
        "1: .execute() with a statement", "1: SQL text 'SELECT id FROM agents'"]
    assert violations('tx.execute(f"UPDATE sessions SET x = 1 WHERE {cond}")')[0] == "1: .execute() with a statement"
    assert violations('q = """\n  DELETE FROM posts"""') == ["1: SQL text '\\n  DELETE FROM posts'"]
    assert violations("pipe.execute()\nlog.info('select a chat to read it from the list')") == []
    assert violations('say(f"Update {name} set to away")') == []
