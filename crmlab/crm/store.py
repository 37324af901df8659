"""The embedded CRM store (CRM系统数据库): a SQLite file loaded from a generated world.

Students query it with SQL (``store.sql("SELECT ...")`` or ``pandas.read_sql(..., store.conn)``)
and change it only through the operations the lab manual asks for (:mod:`crmlab.crm.operations`),
each one a single transaction. Foreign keys and CHECK constraints are on, so a bad write is
refused by the database itself, and the journal is in WAL mode, so a crash mid-write loses
nothing committed before it.
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from crmlab.crm import operations
from crmlab.i18n import tr
from crmlab.validation import CrmlabInputError

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
# Written into the SQLite header of every store (PRAGMA application_id, bytes 68-71): "CRML". A file without it
# was not made by crmlab and is never written to.
APPLICATION_ID = 0x43524D4C
# The schema's version (PRAGMA user_version, bytes 60-63). A store is stamped with it as the last step of its
# creation, so a store whose creation was interrupted keeps 0 and says so when opened. Raise it when schema.sql
# changes in a way an older store does not have.
SCHEMA_VERSION = 1
# How long a write waits for another program's write to finish before it gives up (seconds).
BUSY_TIMEOUT = 30.0
_SQLITE_MAGIC = b"SQLite format 3\x00"
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


def _refuse(path: Path, en: str, zh: str) -> CrmlabInputError:
    return CrmlabInputError(tr(
        f"{str(path)!r} {en} It was left untouched. Check the path; to make a new store use "
        f"crmlab.crm.open(world, path) or crmlab.crm.create(path).",
        f"{str(path)!r} {zh}文件未作任何改动。请检查路径；新建数据库请用 crmlab.crm.open(world, path) 或 "
        "crmlab.crm.create(path)。",
    ))


def check_store_file(path: str | Path) -> None:
    """Refuse, without writing anything, a path that is not a complete crmlab store of this schema version.

    Reads only the 100-byte SQLite header (file format §1.3): the magic string, the page size and count
    (a file shorter than its pages is truncated), the application ID crmlab writes (``APPLICATION_ID``) and the
    schema version (``SCHEMA_VERSION``; 0 means the creation never finished).
    """
    path = Path(path)
    if not path.exists():
        raise CrmlabInputError(tr(
            f"there is no CRM store at {str(path)!r} (no such file); nothing was created. Check the path, or "
            f"create a store: crmlab.crm.open(world, {str(path)!r}) loads a world, "
            f"crmlab.crm.create({str(path)!r}) makes an empty one.",
            f"{str(path)!r} 处没有 CRM 数据库（文件不存在），未创建任何文件。请检查路径，或新建："
            f"crmlab.crm.open(world, {str(path)!r}) 载入数据，crmlab.crm.create({str(path)!r}) 建立空库。",
        ))
    if not path.is_file():
        raise _refuse(path, "is a folder, not a CRM store file.", "是文件夹，不是 CRM 数据库文件。")
    with path.open("rb") as file:
        header = file.read(100)
    size = path.stat().st_size
    if size == 0:
        raise _refuse(path, "is an empty file (0 bytes), not a CRM store; a store whose creation was cut off "
                            "before any data was written looks like this.",
                      "是空文件（0 字节），不是 CRM 数据库；数据库在写入任何数据前被中断创建时就是这样。")
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise _refuse(path, "is not a SQLite database (it may be another kind of file, or corrupt).",
                      "不是 SQLite 数据库（可能是其他类型的文件，或已损坏）。")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # While another program writes (a -wal file exists), a checkpoint may have written page 1 before the pages
    # that extend the file: the size check then waits for a quiet file.
    busy = Path(str(path) + "-wal").exists()
    if page_size < 512 or page_size & (page_size - 1) or (not busy and (size % page_size or pages * page_size > size)):
        raise _refuse(path, f"is a corrupt SQLite file (header: {pages} pages of {page_size} bytes; the file has "
                            f"{size} bytes): it was truncated or damaged.",
                      f"是损坏的 SQLite 文件（文件头记录 {pages} 页、每页 {page_size} 字节，实际 {size} 字节），"
                      "文件被截断或损坏。")
    application_id = int.from_bytes(header[68:72], "big")
    version = int.from_bytes(header[60:64], "big")
    if application_id != APPLICATION_ID:
        raise _refuse(path, "is a SQLite database, but not a crmlab CRM store (another program's database, or a "
                            "store made by a crmlab older than schema version 1).",
                      "是 SQLite 数据库，但不是 crmlab 的 CRM 数据库（属于其他程序，或由旧版 crmlab 创建）。")
    if version == 0:
        raise _refuse(path, "is a CRM store whose creation did not finish (the load was interrupted): it is "
                            "empty or incomplete. Create it again with crmlab.crm.open(world, path, "
                            "overwrite=True).",
                      "是未完成创建的 CRM 数据库（载入被中断），内容为空或不完整。请用 "
                      "crmlab.crm.open(world, path, overwrite=True) 重新创建。")
    if version != SCHEMA_VERSION:
        raise _refuse(path, f"is a CRM store of schema version {version}; this crmlab reads version "
                            f"{SCHEMA_VERSION}. Create it again from its world, or use the crmlab that made it.",
                      f"是架构版本 {version} 的 CRM 数据库，当前 crmlab 只能读取版本 {SCHEMA_VERSION}。"
                      "请用原始数据重新创建，或使用创建它的 crmlab 版本。")


def _connect(path: Path) -> sqlite3.Connection:
    # timeout: a write waits up to BUSY_TIMEOUT seconds for another program's write (SQLite's busy handler).
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT)


class CrmStore:
    """An open CRM store: a SQLite connection with foreign keys on, plus the lab's operations.

    Parameters
    ----------
    path : str or Path
        An existing store file. It is checked first (:func:`check_store_file`) and never created here:
        use :func:`open_store` (``crmlab.crm.open``) or :func:`create_store` (``crmlab.crm.create``).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        check_store_file(self.path)
        self.conn = _connect(self.path)
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            # WAL was set when the store was made (it stays with the file); NORMAL is durable against
            # application crashes in WAL mode; only a power cut can drop the last transactions, which is the
            # trade-off SQLite documents for WAL.
            self.conn.execute("PRAGMA synchronous = NORMAL")
            tables = {row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise _refuse(self.path, f"cannot be read as a CRM store ({exc}): it is corrupt.",
                          f"无法作为 CRM 数据库读取（{exc}），文件已损坏。") from None
        missing = [t for t in TABLE_ORDER if t not in tables]
        if missing:
            self.conn.close()
            raise _refuse(self.path, f"is marked as a CRM store but has no table {', '.join(missing)}.",
                          f"标记为 CRM 数据库，但缺少表 {', '.join(missing)}。")

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


# What the loader binds for a missing value: a float NaN, which SQLite stores as NULL (sqlite3_bind_double turns a
# NaN into NULL: sqlite3VdbeMemSetDouble in vdbemem.c). Python's sqlite3 binds a float directly, but sends None
# through its adapter lookup (a tuple, a dict lookup and two attribute lookups per value): a None cost eight
# times an int to bind, and a 30,000-account world has 290,000 of them.
_MISSING = float("nan")


def _iso_text(stamps: np.ndarray, missing: np.ndarray, with_time: bool) -> np.ndarray:
    """``datetime64[s]`` values as ISO text in an object array: ``YYYY-MM-DD``, or ``YYYY-MM-DD HH:MM:SS`` with
    ``with_time`` (what ``strftime`` writes). Positions marked ``missing`` hold anything; the caller fills them.

    A world spans a few years: each day of the span is formatted once by numpy, and a timestamp's characters are
    put together in a fixed-width array from its day's text and its clock digits (numpy's formatter took 0.6 us
    per timestamp, a third of turning a 30,000-account world into Python values).
    """
    days, clock = np.divmod(stamps.view(np.int64), 86400)
    known = days[~missing]
    first = int(known.min()) if len(known) else 0
    span = int(known.max()) - first + 1 if len(known) else 0
    if 0 < span <= max(len(days), 1):
        table = np.datetime_as_string(np.arange(first, first + span).astype("datetime64[D]"), unit="D").tolist()
        if all(len(day) == 10 for day in table):      # years 0000-9999: 'YYYY-MM-DD'
            index = np.where(missing, 0, days - first)
            if not with_time:
                return np.array(table, dtype=object)[index]
            chars = np.empty((len(days), 19), dtype=np.uint32)   # UCS-4 code points, as numpy stores str
            chars[:, :10] = np.array(table, dtype="<U10").view(np.uint32).reshape(span, 10)[index]
            hours, rest = np.divmod(clock, 3600)
            minutes, seconds = np.divmod(rest, 60)
            chars[:, 10] = ord(" ")
            chars[:, 13] = chars[:, 16] = ord(":")
            for at, part in ((11, hours), (14, minutes), (17, seconds)):
                chars[:, at] = ord("0") + part // 10
                chars[:, at + 1] = ord("0") + part % 10
            return chars.view("<U19").ravel().astype(object)
    # No known value, a year past 9999, or a span of millennia: numpy's formatter, value by value.
    text = np.datetime_as_string(stamps, unit="s" if with_time else "D").astype(object)
    if with_time:
        text = np.array([t.replace("T", " ", 1) for t in text.tolist()], dtype=object)
    return text


def _column_values(series: pd.Series, column: str) -> np.ndarray:
    """One column as a new object array of SQLite-ready Python values: ISO text for dates, 0/1 for booleans,
    NaN (stored as NULL) for missing. The array is new, so filling in the blanks never touches the world's own
    frame."""
    missing = series.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(series):
        if getattr(series.dt, "tz", None) is not None:
            series = series.dt.tz_localize(None)   # the wall-clock time, as strftime would write it
        values = _iso_text(series.to_numpy(dtype="datetime64[s]"), missing, with_time=column.endswith("_at"))
    elif isinstance(series.dtype, pd.CategoricalDtype):
        # One Python object per category, spread by the codes (missing, code -1, is filled in below).
        values = np.asarray(series.cat.categories.to_numpy(dtype=object), dtype=object)[series.cat.codes.to_numpy()] \
            if len(series.cat.categories) else np.full(len(series), _MISSING, dtype=object)
    elif pd.api.types.is_bool_dtype(series):
        values = series.astype("Int8").to_numpy(dtype=object, na_value=_MISSING)
    else:
        # astype(object) turns numpy numbers into Python ones, which sqlite3 can bind; copy=True because for
        # pandas' python-backed "str" arrays to_numpy(object) can hand back the frame's own buffer.
        values = np.array(series.to_numpy(dtype=object), dtype=object, copy=True)
    if missing.any():
        values[missing] = _MISSING
    return values


# Rows per INSERT statement. One row per statement spends most of the load in sqlite3's per-statement
# overhead (step, reset, Python iteration); a multi-row VALUES list amortises it and loaded a 100,000-account
# world twice as fast. 999 is the oldest SQLite's limit on bound parameters per statement.
_MAX_PARAMETERS = 999


def _key_columns(conn: sqlite3.Connection, name: str) -> list[str]:
    """The primary-key columns of a table, in key order."""
    info = sorted((row[5], row[1]) for row in conn.execute(f"PRAGMA table_info({name})") if row[5] > 0)
    return [column for _, column in info]


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    """A column of a world table, or its index when the index carries that name (e.g. accounts by account_id)."""
    if name not in df.columns and df.index.name == name:
        return df.index.to_series(index=pd.RangeIndex(len(df)))
    return df[name]


def _row_label(df: pd.DataFrame, i: int, keys: list[str]) -> tuple[str, str]:
    """How a message names row ``i`` of a world table, in English and Chinese: by its key
    (``order_id='R0001', line_no=2``), or by its index label when the key is missing there."""
    values = [_column(df, k).iloc[i] for k in keys if k in df.columns or df.index.name == k]
    if keys and len(values) == len(keys) and not any(pd.isna(v) for v in values):
        key = ", ".join(f"{k}={v.item() if isinstance(v, np.generic) else v!r}" for k, v in zip(keys, values))
        return f"row {key}", f"行 {key}"
    return f"row with index label {df.index[i]!r}", f"索引标签为 {df.index[i]!r} 的行"


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
        row = _failing_row(conn, name, insert + one_row, grid, per_statement)
        en, zh = ("", "") if row is None else _row_label(df, row, _key_columns(conn, name))
        raise CrmlabInputError(tr(
            f"world table {name!r}{f' ({en})' if en else ''} breaks a rule of the CRM store: {exc}. Check that "
            f"table (its columns should follow datasets/SCHEMA.md).",
            f"世界数据表 {name!r}{f'（{zh}）' if zh else ''}违反了 CRM 数据库的约束：{exc}。请检查该表（列应符合 "
            "datasets/SCHEMA.md）。",
        )) from None


def _failing_row(conn: sqlite3.Connection, name: str, insert_one: str, grid: np.ndarray,
                 per_statement: int) -> int | None:
    """After a refused statement, the position of the row SQLite refused (None if no single row is refused).

    Only on the failure path: a failed statement inserts none of its rows, so the rows already in the new table are
    the statements before it; its rows are tried one at a time. The half-loaded file is deleted afterwards.
    """
    first = conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    for i in range(first, min(len(grid), first + per_statement)):
        try:
            conn.execute(insert_one, grid[i].tolist())
        except sqlite3.IntegrityError:
            return i
    return None


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _isin(values: pd.Series, known: pd.Series) -> np.ndarray:
    """``values.isin(known)`` in Arrow's hash kernel (pandas' isin on Arrow-backed strings loops in Python: it was
    60 % of a 100,000-account load); one hash table over both columns when they do not convert to Arrow alike."""
    try:
        return pc.is_in(pa.array(values), value_set=pa.array(known)).to_numpy(zero_copy_only=False)
    except (pa.ArrowException, TypeError, ValueError):
        both = np.concatenate([values.to_numpy(dtype=object), known.to_numpy(dtype=object)])
        codes, _ = pd.factorize(both)
        return np.isin(codes[: len(values)], codes[len(values):])


# One foreign key of the schema: (child table, its column, parent table, the parent's column, the child's key).
_Reference = tuple[str, str, str, str, list[str]]


def _references(conn: sqlite3.Connection, tables: dict[str, pd.DataFrame]) -> list[_Reference]:
    """The schema's foreign keys that the world's tables fill, children in load order."""
    found = []
    for child in TABLE_ORDER:
        if child not in tables:
            continue
        keys = _key_columns(conn, child)
        for _, _, parent, column, parent_column, *_ in conn.execute(f"PRAGMA foreign_key_list({child})"):
            if column in tables[child].columns or tables[child].index.name == column:
                found.append((child, column, parent, parent_column, keys))
    return found


def _check_references(references: list[_Reference], tables: dict[str, pd.DataFrame]) -> None:
    """Every foreign key of the schema, checked on the frames with one hash lookup per column.

    The same rule as SQLite's ``PRAGMA foreign_key_check`` (a child value is NULL or a value of the parent's
    column), at a quarter of its time on a 30,000-account world (0.46 s against 2.0 s CPU): Arrow hashes each column
    once instead of SQLite searching the parent's key for every child row. Needs no connection, so it can run
    on another thread.
    """
    for child, column, parent, parent_column, keys in references:
        values = _column(tables[child], column)
        parent_frame = tables.get(parent)
        known = pd.Series([], dtype="str")
        if parent_frame is not None and (parent_column in parent_frame.columns or
                                         parent_frame.index.name == parent_column):
            known = _column(parent_frame, parent_column)
        bad = np.flatnonzero(~(_isin(values, known) | values.isna().to_numpy()))
        if len(bad):
            en, zh = _row_label(tables[child], int(bad[0]), keys)
            raise CrmlabInputError(tr(
                f"world table {child!r} ({en}) refers to {parent}.{parent_column} {values.iloc[bad[0]]!r}, which "
                f"does not exist ({len(bad)} such row(s)); the tables do not agree. Regenerate the world or fix "
                f"{child!r}.",
                f"世界数据表 {child!r}（{zh}）引用了不存在的 {parent}.{parent_column} {values.iloc[bad[0]]!r}"
                f"（共 {len(bad)} 行），各表不一致。请重新生成数据或修正 {child!r}。",
            ))


def _stamp(conn: sqlite3.Connection) -> None:
    """The last step of making a store: the schema version (written into the file itself), then the WAL
    journal (a setting the file keeps)."""
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
    conn.execute("PRAGMA journal_mode = WAL")


def _bulk_load(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Write the world into a new file as fast as SQLite allows, and prove the keys agree.

    The file is new and is deleted if anything fails (:func:`_make`), so during the load there is nothing to
    protect: no journal, no fsync, one transaction, foreign keys off in SQLite and checked on the frames instead
    (vectorised, on a second thread while the rows go in: Arrow's kernels release the GIL, and sqlite3 releases
    it while SQLite inserts), secondary indexes built after the rows are in. The finished store switches to WAL,
    and every connection the store opens turns foreign keys on and enforces everything per write.
    """
    conn = sqlite3.connect(path)
    try:
        conn.executescript(BULK_LOAD_PRAGMAS)
        # The application ID comes first, the version last: killed in between, the file says what it is.
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
        conn.executescript(SCHEMA_SQL.read_text(encoding="utf-8"))
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="crmlab-keys") as pool:
            keys_checked = pool.submit(_check_references, _references(conn, tables), tables)
            try:
                with conn:
                    for name in TABLE_ORDER:
                        if keys_checked.done():
                            keys_checked.result()   # a dangling key: stop loading now
                        if name in tables:
                            _load_table(conn, name, tables[name])
                    keys_checked.result()
            except BaseException:
                # A dangling key is reported first, whatever else failed, as when keys were checked before loading.
                keys_checked.result()
                raise
        conn.executescript(INDEXES_SQL.read_text(encoding="utf-8"))
        _stamp(conn)
    finally:
        conn.close()


def _as_path(path: Any) -> Path:
    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise CrmlabInputError(tr(f"path must be a file name such as 'crm.sqlite', got {path!r}.",
                                  f"path 必须是文件名，例如 'crm.sqlite'，实际是 {path!r}。"))
    return Path(path)


def _make(path: Path, tables: dict[str, pd.DataFrame], overwrite: bool) -> None:
    """Write a new store at ``path`` (an existing file only with ``overwrite``); no file is left on failure.

    A new path is written directly (a load killed half-way leaves a file stamped unfinished, which
    :func:`check_store_file` refuses). With ``overwrite`` the new store is written next to the old file and moved
    over it only once complete, so a load that fails keeps the old store as it was.
    """
    if path.exists():
        if not overwrite:
            raise CrmlabInputError(tr(
                f"path {str(path)!r} already holds a file; it was left untouched. Open it with "
                f"crmlab.crm.open(path={str(path)!r}), choose another path, or pass overwrite=True to replace it.",
                f"path {str(path)!r} 处已有文件，未作改动。可用 crmlab.crm.open(path={str(path)!r}) 打开它、"
                "换一个路径，或传入 overwrite=True 替换它。",
            ))
        if path.is_dir():
            raise _refuse(path, "is a folder; overwrite=True replaces a file, never a folder.",
                          "是文件夹；overwrite=True 只替换文件，不会替换文件夹。")
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".loading")
        os.close(handle)
        target = Path(name)
        target.unlink()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        target = path
    try:
        _bulk_load(target, tables)
        if target != path:
            # The old store's journal files belong to the old file: a stale WAL must never meet the new one.
            for suffix in ("-wal", "-shm", "-journal"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            os.replace(target, path)
    except BaseException:
        _remove(target)
        raise


def create_store(path: str | Path = DEFAULT_PATH, world: Any = None, *, overwrite: bool = False) -> CrmStore:
    """Create a new CRM store at ``path`` (新建 CRM 数据库): empty, or loaded from ``world``.

    Parameters
    ----------
    path : str or Path
        The new SQLite file. An existing file is never touched unless ``overwrite=True``.
    world : World or dict of DataFrame, optional
        Tables to load (see :func:`open_store`); None makes an empty store with the schema.
    overwrite : bool
        Replace an existing file at ``path``. The new store replaces it only once complete: a world that fails to
        load leaves the old file as it was.

    Returns
    -------
    CrmStore
        The new store, open.
    """
    path = _as_path(path)
    _make(path, {} if world is None else _world_tables(world), overwrite)
    return CrmStore(path)


def open_store(world: Any = None, path: str | Path = DEFAULT_PATH, *, overwrite: bool = False,
               create: bool = False) -> CrmStore:
    """Open the CRM store at ``path``; with ``world``, first create it there from the world's tables.

    Parameters
    ----------
    world : World or dict of DataFrame, optional
        A crmlab World (e.g. ``crmlab.datasets.load("b2b")``) or a dict of DataFrames named as in
        datasets/SCHEMA.md: a new store is made from it. None opens an existing store (a path may also be
        given first: ``crmlab.crm.open("crm.sqlite")``).
    path : str or Path
        The SQLite file (default ``crm.sqlite`` in the working folder).
    overwrite : bool
        With ``world``: replace an existing file at ``path``, only once the new store is complete (a world that
        fails to load leaves the old file as it was). Without it an existing file is never touched.
    create : bool
        Without ``world``: make an empty store if there is no file at ``path`` (otherwise a missing file is an
        error, so a mistyped path never silently gives an empty store).

    Returns
    -------
    CrmStore
        Open; close it with ``store.close()`` or use it in a ``with`` block.

    Raises
    ------
    CrmlabInputError
        No file at ``path`` (and ``create`` not given); a file that is not a complete crmlab store of this schema
        version (another program's database, a corrupt file, a store whose creation was interrupted): the file is
        left byte-for-byte as it was.
    """
    if isinstance(world, (str, Path)) and path == DEFAULT_PATH:
        world, path = None, world   # crm.open("crm.sqlite"): the path given first
    path = _as_path(path)
    if world is None:
        if create and not path.exists():
            return create_store(path)
        return CrmStore(path)
    _make(path, _world_tables(world), overwrite)
    return CrmStore(path)
