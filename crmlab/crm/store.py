"""The embedded CRM store (CRM系统数据库): a SQLite file loaded from a generated world.

Students query it with SQL (``store.sql("SELECT ...")`` or ``pandas.read_sql(..., store.conn)``)
and change it only through the operations the lab manual asks for (:mod:`crmlab.crm.operations`),
each one a single transaction. Foreign keys and CHECK constraints are on, so a bad write is
refused by the database itself, and the journal is in WAL mode, so a crash mid-write loses
nothing committed before it.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crmlab.crm import operations
from crmlab.i18n import tr
from crmlab.validation import CrmlabInputError

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
INDEXES_SQL = Path(__file__).with_name("indexes.sql")
DEFAULT_PATH = "crm.sqlite"
# Settings for writing a new file in one go (see _bulk_load): nothing to protect yet, so no journal or fsync.
BULK_LOAD_PRAGMAS = ("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF; "
                     "PRAGMA cache_size = -262144;")

# Parents before children, so foreign keys can be checked row by row while loading.
TABLE_ORDER = (
    "departments", "staff", "accounts", "contacts", "products", "campaigns", "opportunities",
    "stage_history", "orders", "order_lines", "receivables", "service_requests", "approvals",
)
# World tables that carry the same data under another name.
WORLD_ALIASES = {"customers": "accounts", "tickets": "service_requests"}


class CrmStore:
    """An open CRM store: a SQLite connection with foreign keys on, plus the lab's operations.

    Parameters
    ----------
    path : the SQLite file.

    Use :func:`open_store` (``crmlab.crm.open``) to create one from a world.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.conn = sqlite3.connect(self.path)
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA journal_mode = WAL")
        # NORMAL is durable against application crashes in WAL mode; only a power cut can
        # drop the last transactions, which is the trade-off SQLite documents for WAL.
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.executescript(SCHEMA_SQL.read_text(encoding="utf-8") + INDEXES_SQL.read_text(encoding="utf-8"))

    # ---- reading -------------------------------------------------------------------------
    def sql(self, query: str, params: tuple | Mapping[str, Any] = ()) -> pd.DataFrame:
        """Run a SELECT and return the result as a DataFrame (parameters with ``?`` placeholders)."""
        return pd.read_sql_query(query, self.conn, params=params)

    def table(self, name: str) -> pd.DataFrame:
        """A whole table as a DataFrame, indexed by its key when it has a single-column key."""
        if name not in TABLE_ORDER:
            raise CrmlabInputError(tr(
                f"table must be one of {', '.join(TABLE_ORDER)}; got {name!r}.",
                f"table 必须是 {', '.join(TABLE_ORDER)} 之一；实际是 {name!r}。",
            ))
        df = pd.read_sql_query(f"SELECT * FROM {name}", self.conn)  # name checked against the list above
        keys = [row[1] for row in self.conn.execute(f"PRAGMA table_info({name})") if row[5] > 0]
        return df.set_index(keys[0]) if len(keys) == 1 else df

    def counts(self) -> pd.Series:
        """Number of rows in each table."""
        return pd.Series({t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLE_ORDER},
                         name="rows")

    def close(self) -> None:
        """Close the connection (the file stays)."""
        self.conn.close()

    def __enter__(self) -> CrmStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"CrmStore({str(self.path)!r})"

    # ---- the lab manual's operations (see crmlab.crm.operations) ---------------------------
    add_customer = operations.add_customer
    edit_customer = operations.edit_customer
    move_opportunity = operations.move_opportunity
    approve_discount = operations.approve_discount
    invoice_order = operations.invoice_order
    log_ticket = operations.log_ticket
    close_ticket = operations.close_ticket


def _world_tables(world: Any) -> dict[str, pd.DataFrame]:
    """The named tables of a World (``world.tables``), or of a plain mapping of DataFrames."""
    tables = getattr(world, "tables", world)
    if not isinstance(tables, Mapping) or not all(isinstance(v, pd.DataFrame) for v in tables.values()):
        raise CrmlabInputError(tr(
            f"world must be a crmlab World or a dict of DataFrames, got {type(world).__name__}. "
            "Load one with crmlab.datasets.load('b2b').",
            f"world 必须是 crmlab 的 World 或由 DataFrame 组成的字典，实际是 {type(world).__name__}。"
            "请用 crmlab.datasets.load('b2b') 读入。",
        ))
    return {WORLD_ALIASES.get(name, name): df for name, df in tables.items()}


def _column_values(series: pd.Series, column: str) -> np.ndarray:
    """One column as a new object array of SQLite-ready Python values: ISO text for dates, 0/1 for booleans,
    None for missing. The array is new, so filling in the blanks never touches the world's own frame."""
    missing = series.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(series):
        # A world has few distinct days: format each once, then spread them by their codes.
        codes, uniques = pd.factorize(series)
        text = np.asarray(uniques.strftime("%Y-%m-%d %H:%M:%S" if column.endswith("_at") else "%Y-%m-%d"), dtype=object)
        values = text[np.maximum(codes, 0)] if len(text) else np.full(len(series), None, dtype=object)
    elif pd.api.types.is_bool_dtype(series):
        values = series.astype("Int8").to_numpy(dtype=object, na_value=None)
    else:
        # astype(object) turns numpy numbers into Python ones, which sqlite3 can bind; copy=True because for
        # pandas' python-backed "str" arrays to_numpy(object) can hand back the frame's own buffer.
        values = np.array(series.to_numpy(dtype=object), dtype=object, copy=True)
    if missing.any():
        values[missing] = None
    return values


# Rows per INSERT statement. One row per statement spends most of the load in sqlite3's per-statement
# overhead (step, reset, Python iteration); a multi-row VALUES list amortises it and loaded a 100,000-account
# world twice as fast. 999 is the oldest SQLite's limit on bound parameters per statement.
_MAX_PARAMETERS = 999


def _load_table(conn: sqlite3.Connection, name: str, df: pd.DataFrame) -> None:
    columns = [row[1] for row in conn.execute(f"PRAGMA table_info({name})")]
    if df.index.name in columns and df.index.name not in df.columns:
        df = df.reset_index()
    present = [c for c in columns if c in df.columns]
    if not present or df.empty:
        return
    grid = np.empty((len(df), len(present)), dtype=object)
    for j, column in enumerate(present):
        grid[:, j] = _column_values(df[column], column)
    per_statement = max(1, _MAX_PARAMETERS // len(present))
    whole = len(grid) - len(grid) % per_statement
    one_row = "(" + ", ".join("?" for _ in present) + ")"
    insert = f"INSERT INTO {name} ({', '.join(present)}) VALUES "
    try:
        if whole:
            conn.executemany(insert + ", ".join([one_row] * per_statement),
                             grid[:whole].reshape(-1, per_statement * len(present)).tolist())
        if whole < len(grid):
            conn.executemany(insert + one_row, grid[whole:].tolist())
    except sqlite3.IntegrityError as exc:
        raise CrmlabInputError(tr(
            f"world table {name!r} breaks a rule of the CRM store: {exc}. Check that table (its columns "
            f"should follow datasets/SCHEMA.md).",
            f"世界数据表 {name!r} 违反了 CRM 数据库的约束：{exc}。请检查该表（列应符合 datasets/SCHEMA.md）。",
        )) from None


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _check_references(conn: sqlite3.Connection, tables: dict[str, pd.DataFrame]) -> None:
    """Every foreign key of the schema, checked on the frames with one hash lookup per column."""
    for child in TABLE_ORDER:
        if child not in tables:
            continue
        for _, _, parent, column, parent_column, *_ in conn.execute(f"PRAGMA foreign_key_list({child})"):
            if column not in tables[child].columns:
                continue
            values = tables[child][column].dropna()
            known = tables[parent][parent_column] if parent in tables else pd.Series([], dtype="str")
            unknown = values[~values.isin(known)]
            if len(unknown):
                raise CrmlabInputError(tr(
                    f"world table {child!r} refers to {parent}.{parent_column} {unknown.iloc[0]!r}, which does not "
                    f"exist ({len(unknown)} such row(s)); the tables do not agree. Regenerate the world or fix {child!r}.",
                    f"世界数据表 {child!r} 引用了不存在的 {parent}.{parent_column} {unknown.iloc[0]!r}（共 {len(unknown)} 行），"
                    f"各表不一致。请重新生成数据或修正 {child!r}。",
                ))


def _bulk_load(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Write the world into a new file as fast as SQLite allows, then prove the keys agree.

    The file is new and is deleted if anything fails, so during the load there is nothing to protect:
    no journal, no fsync, foreign keys checked on the frames before writing (vectorised) instead of row by
    row, secondary indexes built after the rows are in. The open store then enforces everything per write.
    """
    conn = sqlite3.connect(path)
    try:
        conn.executescript(BULK_LOAD_PRAGMAS)
        conn.executescript(SCHEMA_SQL.read_text(encoding="utf-8"))
        _check_references(conn, tables)
        with conn:
            for name in TABLE_ORDER:
                if name in tables:
                    _load_table(conn, name, tables[name])
        conn.executescript(INDEXES_SQL.read_text(encoding="utf-8"))
    finally:
        conn.close()


def open_store(world: Any = None, path: str | Path = DEFAULT_PATH, *, overwrite: bool = False) -> CrmStore:
    """Open the CRM store at ``path``; with ``world``, first create it there from the world's tables.

    Parameters
    ----------
    world : a crmlab World (e.g. ``crmlab.datasets.load("b2b")``) or a dict of DataFrames named as in
        datasets/SCHEMA.md; None opens an existing store (or creates an empty one).
    path : where the SQLite file goes (default ``crm.sqlite`` in the working folder).
    overwrite : replace an existing file at ``path`` with a fresh store from ``world``. Without it an
        existing file is never touched.

    Returns
    -------
    CrmStore, open; close it with ``store.close()`` or use it in a ``with`` block.
    """
    path = Path(path)
    if world is None:
        return CrmStore(path)
    tables = _world_tables(world)
    if path.exists():
        if not overwrite:
            raise CrmlabInputError(tr(
                f"path {str(path)!r} already holds a file; it was left untouched. Open it with "
                f"crmlab.crm.open(path={str(path)!r}), choose another path, or pass overwrite=True to replace it.",
                f"path {str(path)!r} 处已有文件，未作改动。可用 crmlab.crm.open(path={str(path)!r}) 打开它、"
                "换一个路径，或传入 overwrite=True 替换它。",
            ))
        _remove(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        _bulk_load(path, tables)
    except BaseException:
        _remove(path)
        raise
    return CrmStore(path)
