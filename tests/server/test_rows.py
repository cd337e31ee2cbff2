"""The typed rows (server/rows.py) say what the tables (server/tables.py) hold: one TypedDict per table, with
every column, its Python type, and None exactly where the column may be NULL — so the type checker's view of
a row cannot drift from the schema the migrations make."""

from __future__ import annotations

import types
import typing

import pytest
from kayako_desktop.server import rows, tables
from sqlalchemy import REAL, BigInteger, Double, Integer, Text

ROW_OF = {name: cls for name, cls in vars(rows).items() if isinstance(cls, type) and name.endswith("Row")
          and typing.is_typeddict(cls)}


def python_type(column: typing.Any) -> type:
    t = column.type
    if isinstance(t, Integer | BigInteger):
        return int
    if isinstance(t, Text):
        return str
    if isinstance(t, Double | REAL):
        return float
    raise AssertionError(f"{column}: no Python type for {t!r}")


def plain(hint: typing.Any) -> tuple[set[type], bool]:
    """(the types a hint allows, whether it allows None), a Literal counting as its values' type."""
    args = typing.get_args(hint) if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union \
        else (hint,)
    found: set[type] = set()
    for arg in args:
        if arg is type(None):
            continue
        if typing.get_origin(arg) is typing.Literal:
            found |= {type(v) for v in typing.get_args(arg)}
        else:
            found.add(arg)
    return found, type(None) in args


def test_every_table_has_its_typed_row() -> None:
    names = {cls.__name__ for cls in ROW_OF.values()}
    assert len(names) == len(tables.metadata.tables)


@pytest.mark.parametrize("table", sorted(tables.metadata.tables))
def test_a_typed_row_has_the_tables_columns_types_and_nulls(table: str) -> None:
    columns = tables.metadata.tables[table].columns
    matches = [cls for cls in ROW_OF.values() if set(cls.__annotations__) == {c.name for c in columns}]
    assert len(matches) == 1, f"no typed row with exactly the columns of {table}"
    hints = typing.get_type_hints(matches[0])
    for column in columns:
        allowed, nullable = plain(hints[column.name])
        assert allowed == {python_type(column)}, (table, column.name, hints[column.name])
        assert nullable == (column.nullable and not column.primary_key), (table, column.name)
