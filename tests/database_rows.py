"""Every row of every table, to compare a database before and after a backup or an upgrade."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

Columns = dict[str, list[str]]
Rows = dict[str, list[dict[str, Any]]]


def table_rows(url: str, columns: Columns | None = None) -> tuple[Columns, Rows]:
    """The columns of every table in ``public`` (or the ``columns`` given, e.g. those a table
    had before an upgrade) and all their rows, in a fixed order."""
    with psycopg.connect(url, row_factory=dict_row) as conn:
        if columns is None:
            columns = {}
            for row in conn.execute(
                    "SELECT c.table_name, c.column_name FROM information_schema.columns c "
                    "JOIN information_schema.tables t USING (table_schema, table_name) "
                    "WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' "
                    "ORDER BY c.table_name, c.ordinal_position"):
                columns.setdefault(row["table_name"], []).append(row["column_name"])
        rows = {}
        for table, names in columns.items():
            query = sql.SQL("SELECT {} FROM public.{}").format(
                sql.SQL(", ").join(map(sql.Identifier, names)), sql.Identifier(table))
            # Sorted here: any column type compares as text, and equal keys cannot reorder.
            rows[table] = sorted(conn.execute(query).fetchall(),
                                 key=lambda row: [repr(value) for value in row.values()])
    return columns, rows
