"""The CRM store: loading, constraints, the lab manual's operations, and writes that fail or crash."""
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from crmlab import crm
from crmlab.validation import CrmlabInputError


def small_world() -> dict[str, pd.DataFrame]:
    return {
        "departments": pd.DataFrame({"department_id": ["D01"], "name": ["销售部"]}),
        "staff": pd.DataFrame({"staff_id": ["S001", "S002", "S003", "S004"], "name": ["王芳", "李强", "赵敏", "周杰"],
                               "department_id": ["D01"] * 4,
                               "role": ["sales_rep", "sales_manager", "director", "service_agent"],
                               "discount_limit": [0.05, 0.10, 0.15, 0.0]}),
        "accounts": pd.DataFrame({
            "account_id": ["A000001", "A000002"], "name": ["华东建设", "城建集团"], "category": ["business", "government"],
            "industry": ["construction", "public_works"], "province": ["上海市", "江苏省"], "city": ["上海市", "南京市"],
            "buys_for": ["production", "public_project"], "same_group": [False, False],
            "relationship": ["partner", "buyer_seller"], "owner_staff_id": ["S001", "S001"],
            "created_date": pd.to_datetime(["2023-01-05", "2023-02-01"]), "credit_limit": [500000.0, 800000.0]}),
        "contacts": pd.DataFrame({"contact_id": ["P0000001"], "account_id": ["A000001"], "name": ["陈伟"],
                                  "title": ["采购经理"], "phone": ["13912345678"], "email": ["chenwei@163.com"],
                                  "is_primary": [True]}),
        "products": pd.DataFrame({"product_id": ["P001", "P002"], "name": ["螺纹钢", "钢板"], "family": ["rebar", "plate"],
                                  "unit": ["t", "t"], "list_price": [600.0, 550.0], "unit_cost": [500.0, 460.0]}),
        "opportunities": pd.DataFrame({
            "opportunity_id": ["O0001", "O0002"], "account_id": ["A000001", "A000002"], "owner_staff_id": ["S001", "S001"],
            "product_id": ["P001", "P002"], "created_date": ["2024-01-02", "2024-01-05"],
            "expected_close": ["2024-03-01", "2024-02-01"], "amount": [60000.0, 20000.0], "stage": ["lead", "won"],
            "status": ["open", "won"], "closed_date": [None, "2024-01-30"]}),
        "stage_history": pd.DataFrame({
            "opportunity_id": ["O0001", "O0002", "O0002", "O0002", "O0002", "O0002"],
            "stage": ["lead", "lead", "qualified", "proposal", "negotiation", "won"],
            "entered_date": ["2024-01-02", "2024-01-05", "2024-01-08", "2024-01-15", "2024-01-20", "2024-01-30"]}),
        "orders": pd.DataFrame({"order_id": ["R0001"], "account_id": ["A000002"], "opportunity_id": ["O0002"],
                                "staff_id": ["S001"], "order_date": ["2024-02-01"], "status": ["confirmed"],
                                "discount": [0.0]}),
        "order_lines": pd.DataFrame({"order_id": ["R0001", "R0001"], "line_no": [1, 2], "product_id": ["P001", "P002"],
                                     "quantity": [10.0, 5.0], "unit_price": [600.0, 550.0]}),
        "service_requests": pd.DataFrame({
            "ticket_id": ["S0000001"], "account_id": ["A000001"], "opened_at": pd.to_datetime(["2024-02-03 09:00"]),
            "kind": ["inquiry"], "first_response_at": pd.to_datetime(["2024-02-03 10:00"]),
            "resolved_at": pd.to_datetime([None]), "escalated": [False], "recorded": [True],
            "satisfied": pd.array([None], dtype="boolean")}),
    }


@pytest.fixture
def store(tmp_path):
    s = crm.open(small_world(), tmp_path / "crm.sqlite")
    yield s
    s.close()


def snapshot(store):
    """Every table's rows as text, so that two snapshots compare equal exactly when nothing changed."""
    return {t: store.sql(f"SELECT * FROM {t}").astype(str).to_dict("list") for t in crm.store.TABLE_ORDER}


def test_load_counts_and_settings(store):
    counts = store.counts()
    assert counts["accounts"] == 2 and counts["stage_history"] == 6 and counts["order_lines"] == 2
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    accounts = store.table("accounts")
    assert accounts.loc["A000001", "created_date"] == "2023-01-05"
    tickets = store.table("service_requests")
    assert tickets.loc["S0000001", "opened_at"] == "2024-02-03 09:00:00"
    assert pd.isna(tickets.loc["S0000001", "satisfied"])
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_never_overwrites_an_existing_file(tmp_path):
    path = tmp_path / "crm.sqlite"
    path.write_bytes(b"my notes")
    with pytest.raises(CrmlabInputError, match="overwrite=True"):
        crm.open(small_world(), path)
    assert path.read_bytes() == b"my notes"
    with crm.open(small_world(), path, overwrite=True) as s:
        assert s.counts()["accounts"] == 2


def test_reopen_existing_store(store):
    path = store.path
    store.add_customer("新客户", "consumer", created_date="2024-05-01")
    store.close()
    with crm.open(path=path) as again:
        assert again.counts()["accounts"] == 3


def test_bad_world_is_refused_and_leaves_no_file(tmp_path):
    world = small_world()
    world["order_lines"].loc[0, "quantity"] = -1.0
    with pytest.raises(CrmlabInputError, match="order_lines"):
        crm.open(world, tmp_path / "bad.sqlite")
    assert not (tmp_path / "bad.sqlite").exists()
    with pytest.raises(CrmlabInputError, match="World or a dict"):
        crm.open([1, 2], tmp_path / "x.sqlite")


@pytest.mark.parametrize("sql, params", [
    ("INSERT INTO order_lines VALUES (?, ?, ?, ?, ?)", ("R0001", 3, "P001", 0, 600.0)),       # quantity > 0
    ("INSERT INTO order_lines VALUES (?, ?, ?, ?, ?)", ("R0001", 3, "P999", 1, 600.0)),       # unknown product
    ("UPDATE orders SET discount = ? WHERE order_id = 'R0001'", (1.5,)),                      # discount in [0, 1]
    ("UPDATE opportunities SET stage = ? WHERE opportunity_id = 'O0001'", ("closing",)),     # known stages only
    ("UPDATE opportunities SET stage = ? WHERE opportunity_id = 'O0001'", ("won",)),         # won ⇒ status won
    ("INSERT INTO orders (order_id, account_id, order_date, status) VALUES (?, ?, ?, ?)",
     ("R0002", "A999999", "2024-01-01", "confirmed")),                                        # unknown customer
    ("INSERT INTO staff VALUES (?, ?, ?, ?, ?)", ("S009", "x", "D01", "intern", 0.0)),         # unknown role
])
def test_constraints_refuse_bad_sql(store, sql, params):
    before = snapshot(store)
    with pytest.raises(sqlite3.IntegrityError):
        with store.conn:
            store.conn.execute(sql, params)
    assert snapshot(store) == before


def test_add_and_edit_customer(store):
    new = store.add_customer("星海贸易", "channel", owner_staff_id="S001", city="杭州市", credit_limit=1e5,
                             contact_name="刘洋", phone="+86 139-1234-5679", email="liuyang@126.com",
                             created_date="2024-03-01")
    assert new == "A000003"
    contact = store.sql("SELECT * FROM contacts WHERE account_id = ?", (new,))
    assert contact.loc[0, "name"] == "刘洋" and contact.loc[0, "is_primary"] == 1
    store.edit_customer(new, city="宁波市", relationship="partner")
    assert store.table("accounts").loc[new, "city"] == "宁波市"


@pytest.mark.parametrize("kwargs, message", [
    (dict(name="", category="business"), "name"),
    (dict(name="X", category="vip"), "category"),
    (dict(name="X", category="business", owner_staff_id="S999"), "S999"),
    (dict(name="X", category="business", credit_limit=-1), "credit_limit"),
    (dict(name="X", category="business", phone="1391234"), "phone"),
    (dict(name="X", category="business", phone="13800000000"), "placeholder"),
    (dict(name="X", category="business", email="x@y"), "email"),
])
def test_add_customer_rejects_bad_input(store, kwargs, message):
    before = snapshot(store)
    with pytest.raises(CrmlabInputError, match=message):
        store.add_customer(**kwargs)
    assert snapshot(store) == before


def test_edit_customer_rejects_bad_input(store):
    before = snapshot(store)
    with pytest.raises(CrmlabInputError, match="A404"):
        store.edit_customer("A404", city="x")
    with pytest.raises(CrmlabInputError, match="colour"):
        store.edit_customer("A000001", colour="red")
    with pytest.raises(CrmlabInputError, match="category"):
        store.edit_customer("A000001", category="friend")
    assert snapshot(store) == before


def test_move_opportunity_step_by_step(store):
    before = snapshot(store)
    with pytest.raises(CrmlabInputError, match="cannot be skipped"):
        store.move_opportunity("O0001", "proposal", "2024-01-10")
    with pytest.raises(CrmlabInputError, match="already closed"):
        store.move_opportunity("O0002", "lost", "2024-02-10")
    with pytest.raises(CrmlabInputError, match="before"):
        store.move_opportunity("O0001", "qualified", "2023-12-31")
    with pytest.raises(CrmlabInputError, match="to_stage"):
        store.move_opportunity("O0001", "signed", "2024-01-10")
    assert snapshot(store) == before
    store.move_opportunity("O0001", "qualified", "2024-01-10")
    store.move_opportunity("O0001", "lost", "2024-01-20")
    opp = store.table("opportunities").loc["O0001"]
    assert (opp["stage"], opp["status"], opp["closed_date"]) == ("lost", "lost", "2024-01-20")
    assert store.sql("SELECT stage FROM stage_history WHERE opportunity_id = 'O0001' ORDER BY entered_date")[
        "stage"].tolist() == ["lead", "qualified", "lost"]


def test_approve_discount_respects_role_limits(store):
    before = snapshot(store)
    with pytest.raises(CrmlabInputError, match="approved_by"):
        store.approve_discount("R0001", 0.08, "S001")                    # rep limit 5 %
    with pytest.raises(CrmlabInputError, match="cannot approve"):
        store.approve_discount("R0001", 0.12, "S001", approved_by="S002")  # manager limit 10 %
    with pytest.raises(CrmlabInputError, match="cannot approve"):
        store.approve_discount("R0001", 0.08, "S001", approved_by="S004")  # a service agent is no approver
    with pytest.raises(CrmlabInputError, match="discount"):
        store.approve_discount("R0001", 8, "S001")
    assert snapshot(store) == before
    store.approve_discount("R0001", 0.04, "S001", date="2024-02-01")
    store.approve_discount("R0001", 0.12, "S001", approved_by="S003", date="2024-02-02")
    assert store.table("orders").loc["R0001", "discount"] == 0.12
    assert store.counts()["approvals"] == 2


def test_invoice_order_amount_and_once_only(store):
    store.approve_discount("R0001", 0.04, "S001", date="2024-02-01")
    invoice = store.invoice_order("R0001", "2024-02-05", due_days=30)
    row = store.table("receivables").loc[invoice]
    # (10 t × 600 + 5 t × 550) × (1 − 0.04) = 8750 × 0.96 = 8400.00
    assert row["amount"] == 8400.00
    assert row["due_date"] == "2024-03-06" and row["account_id"] == "A000002"
    assert store.table("orders").loc["R0001", "status"] == "invoiced"
    before = snapshot(store)
    with pytest.raises(CrmlabInputError, match="invoiced"):
        store.invoice_order("R0001", "2024-02-06")
    with pytest.raises(CrmlabInputError, match="R404"):
        store.invoice_order("R404")
    assert snapshot(store) == before


def test_log_and_close_ticket(store):
    ticket = store.log_ticket("A000002", "complaint", "2024-03-01 08:00")
    store.close_ticket(ticket, "2024-03-01 20:00", satisfied=False)
    row = store.table("service_requests").loc[ticket]
    assert row["resolved_at"] == "2024-03-01 20:00:00" and row["satisfied"] == 0
    assert row["first_response_at"] == "2024-03-01 20:00:00"
    before = snapshot(store)
    with pytest.raises(CrmlabInputError, match="already closed"):
        store.close_ticket(ticket, "2024-03-02")
    with pytest.raises(CrmlabInputError, match="before"):
        store.close_ticket("S0000001", "2024-01-01")
    with pytest.raises(CrmlabInputError, match="kind"):
        store.log_ticket("A000001", "praise")
    with pytest.raises(CrmlabInputError, match="A404"):
        store.log_ticket("A404", "inquiry")
    assert snapshot(store) == before


def test_exception_mid_transaction_rolls_back(store):
    # The account row is written first; the contact insert then fails inside the same transaction.
    store.conn.execute("CREATE TRIGGER boom BEFORE INSERT ON contacts BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    before = snapshot(store)
    with pytest.raises(CrmlabInputError, match="nothing was changed"):
        store.add_customer("半途客户", "business", phone="13912345670", created_date="2024-03-01")
    assert snapshot(store) == before


def test_killed_process_loses_nothing_committed(tmp_path):
    path = tmp_path / "crm.sqlite"
    crm.open(small_world(), path).close()
    script = textwrap.dedent(f"""
        import os, signal
        from crmlab import crm
        store = crm.open(path={str(path)!r})
        store.add_customer("已提交客户", "consumer", created_date="2024-04-01")
        store.conn.execute("BEGIN")
        for i in range(500):
            store.conn.execute("INSERT INTO departments VALUES (?, ?)", (f"X{{i}}", "half-written"))
        os.kill(os.getpid(), signal.SIGKILL)  # dies mid-transaction, before any commit
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == -9, done.stderr.decode()
    with crm.open(path=path) as again:
        assert again.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = again.table("accounts")["name"].tolist()
        assert "已提交客户" in names
        assert again.counts()["departments"] == 1


def test_world_with_a_dangling_key_is_refused(tmp_path):
    world = small_world()
    world["orders"].loc[0, "account_id"] = "A999999"
    with pytest.raises(CrmlabInputError, match="A999999"):
        crm.open(world, tmp_path / "bad.sqlite")
    assert not (tmp_path / "bad.sqlite").exists()


def test_loads_every_row_exactly_across_statement_batches(tmp_path):
    # The loader sends many rows per INSERT; 1,000 lines make five full statements and a short remainder.
    world = small_world()
    n = 1000
    world["order_lines"] = pd.DataFrame({"order_id": ["R0001"] * n, "line_no": range(1, n + 1),
                                         "product_id": ["P001", "P002"] * (n // 2),
                                         "quantity": [0.5 + i for i in range(n)], "unit_price": [600.0] * n})
    with crm.open(world, tmp_path / "crm.sqlite") as store:
        back = store.sql("SELECT * FROM order_lines ORDER BY line_no")
    pd.testing.assert_frame_equal(back, world["order_lines"], check_dtype=False)


def test_world_with_a_missing_key_is_refused(tmp_path):
    world = small_world()
    world["contacts"].loc[0, "contact_id"] = None
    with pytest.raises(CrmlabInputError, match="contacts.*NOT NULL"):
        crm.open(world, tmp_path / "bad.sqlite")
    assert not (tmp_path / "bad.sqlite").exists()


def test_loads_the_committed_b2b_world(tmp_path):
    datasets = pytest.importorskip("crmlab.datasets")
    world = datasets.load("b2b")
    with crm.open(world, tmp_path / "crm.sqlite") as store:
        counts = store.counts()
        for name in ("accounts", "opportunities", "stage_history", "orders", "order_lines", "service_requests"):
            assert counts[name] == len(world[name]), name
        # The store and the frames agree on a number a lesson will compute both ways.
        total = store.sql("SELECT sum(amount) AS s FROM opportunities WHERE status = 'won'")["s"].iloc[0]
        expected = world["opportunities"].query("status == 'won'")["amount"].sum()
        assert total == pytest.approx(expected)
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # The operations work on the loaded world: move the first open lead one stage on.
        lead = store.sql("SELECT opportunity_id FROM opportunities WHERE stage = 'lead' AND status = 'open' LIMIT 1")
        if len(lead):
            day = store.sql("SELECT max(entered_date) AS d FROM stage_history")["d"].iloc[0]
            store.move_opportunity(lead["opportunity_id"].iloc[0], "qualified", day)


# ---- a store that never says "fine" about the wrong file (issue 17, item 5) ---------------------------------

def _bytes(path):
    return path.read_bytes() if path.exists() else None


def test_opening_a_missing_path_creates_nothing(tmp_path):
    path = tmp_path / "crm_typo.sqlite"
    with pytest.raises(CrmlabInputError, match="no CRM store.*nothing was created"):
        crm.open(path=path)
    with pytest.raises(CrmlabInputError, match="no CRM store"):
        crm.open(str(path))                     # the path given first reads the same
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_create_is_explicit(tmp_path):
    path = tmp_path / "new.sqlite"
    with crm.open(path=path, create=True) as store:
        assert store.counts().sum() == 0
    with crm.open(path=path) as store:                  # reopens, no create needed
        assert store.add_customer("新客户", "consumer", created_date="2024-05-01") == "A000001"
    with pytest.raises(CrmlabInputError, match="overwrite=True"):
        crm.create(path)
    with crm.create(tmp_path / "other.sqlite", small_world()) as store:
        assert store.counts()["accounts"] == 2


def test_schema_version_and_application_id_are_stored(store):
    # SQLite file format §1.3: user_version at byte 60, application_id at byte 68, both big-endian.
    header = store.path.read_bytes()[:100]
    assert int.from_bytes(header[60:64], "big") == crm.SCHEMA_VERSION == 1
    assert header[68:72] == b"CRML"
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 1


def _foreign_sqlite(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('my thesis data')")
    conn.commit()
    conn.close()


def _truncated_store(path):
    crm.open(small_world(), path).close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _other_version(path):
    crm.open(small_world(), path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()


@pytest.mark.parametrize("make, message", [
    (lambda p: _foreign_sqlite(p), "not a crmlab CRM store"),
    (lambda p: p.write_text("name,phone\n张伟,13912345678\n", encoding="utf-8"), "not a SQLite database"),
    (lambda p: p.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8), "corrupt"),
    (lambda p: _truncated_store(p), "corrupt"),
    (lambda p: p.write_bytes(b""), "empty file"),
    (lambda p: _other_version(p), "schema version 99"),
])
def test_foreign_or_corrupt_file_is_refused_and_left_byte_identical(tmp_path, make, message):
    path = tmp_path / "crm.sqlite"
    make(path)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"crm.sqlite{suffix}").unlink(missing_ok=True)
    before = sorted(p.name for p in tmp_path.iterdir()), _bytes(path)
    with pytest.raises(CrmlabInputError, match=message) as err:
        crm.open(path=path)
    assert "left untouched" in str(err.value)
    with pytest.raises(CrmlabInputError, match=message):
        crm.open(path=path, create=True)          # create never replaces an existing file
    assert (sorted(p.name for p in tmp_path.iterdir()), _bytes(path)) == before


def test_interrupted_load_says_so_when_opened(tmp_path):
    # A load killed mid-way: the process dies inside the bulk load, after the first table went in.
    path = tmp_path / "crm.sqlite"
    script = textwrap.dedent(f"""
        import os, signal
        import pandas as pd
        from crmlab import crm
        from crmlab.crm import store as s
        original = s._load_table
        def load_then_die(conn, name, df):
            original(conn, name, df)
            if name == "accounts":
                conn.commit()
                os.kill(os.getpid(), signal.SIGKILL)
        s._load_table = load_then_die
        import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_crm_store import small_world
        crm.open(small_world(), {str(path)!r})
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr.decode()
    assert path.exists()
    with pytest.raises(CrmlabInputError, match="creation did not finish.*interrupted"):
        crm.open(path=path)
    with crm.open(small_world(), path, overwrite=True) as again:
        assert again.counts()["accounts"] == 2


_WRITER = textwrap.dedent("""
    import sys
    from crmlab import crm
    from crmlab.validation import CrmlabInputError
    path, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    errors = []
    with crm.open(path=path) as store:
        for i in range(n):
            try:
                store.add_customer(f"{who}-{i}", "consumer", contact_name="联系人", phone=f"139{i:08d}",
                                   created_date="2024-06-01")
            except Exception as exc:   # any failure is a finding: print it
                errors.append(f"{type(exc).__name__}: {exc}")
    print(len(errors)); print("\\n".join(errors[:5]))
""")


def test_two_processes_adding_customers_at_once(tmp_path):
    path = tmp_path / "crm.sqlite"
    crm.open(small_world(), path).close()
    n = 200
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), who, str(n)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for who in ("left", "right")]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert out.splitlines()[0] == "0", out          # no false refusals, no raw lock errors
    with crm.open(path=path) as store:
        accounts = store.table("accounts")
        contacts = store.table("contacts")
    assert len(accounts) == 2 + 2 * n and accounts.index.is_unique
    assert len(contacts) == 1 + 2 * n
    for who in ("left", "right"):
        assert accounts["name"].str.startswith(f"{who}-").sum() == n


def test_a_writer_waiting_too_long_gets_a_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "crm.sqlite"
    crm.open(small_world(), path).close()
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")                     # another program holds the write lock
    try:
        with crm.open(path=path) as store:
            store.conn.execute("PRAGMA busy_timeout = 200")  # wait 0.2 s instead of BUSY_TIMEOUT
            before = store.counts()
            with pytest.raises(CrmlabInputError, match="another program writing") as err:
                store.add_customer("等待客户", "consumer", created_date="2024-06-01")
            assert "nothing was changed" in str(err.value)
    finally:
        holder.rollback()
        holder.close()
    with crm.open(path=path) as store:
        assert store.counts().equals(before)


# ---- the bulk load (issue 18, item 5): faster, and still every row, every rule, nothing half-written ----------

def _expected_rows(frame: pd.DataFrame, columns: list[str], keys: list[str]) -> list[tuple]:
    """A world table as the store should hold it, written out with pandas alone (not the loader's code): dates
    as ISO text (``YYYY-MM-DD``, timestamps ``YYYY-MM-DD HH:MM:SS``: datasets/SCHEMA.md), booleans as 0/1,
    missing values as NULL, rows in key order."""
    if frame.index.name in columns and frame.index.name not in frame.columns:
        frame = frame.reset_index()
    out = {}
    for column in columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.strftime("%Y-%m-%d %H:%M:%S" if column.endswith("_at") else "%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(values):
            values = values.astype("Int64")
        out[column] = values.astype(object).where(values.notna(), None)
    expected = pd.DataFrame(out).sort_values(keys, kind="stable")
    return [tuple(v.item() if hasattr(v, "item") else v for v in row) for row in expected.itertuples(index=False)]


def test_load_leaves_every_row_and_every_rule_of_the_schema(tmp_path):
    # Property: the store holds exactly the world's rows (values, NULLs, types) under exactly the schema's
    # constraints; the expected rows are written out by pandas, independently of the loader.
    from crmlab.synth import generate
    world = generate("b2b", 300, seed=3)
    tables = {crm.store.WORLD_ALIASES.get(n, n): df for n, df in world.tables.items()}
    with crm.open(world, tmp_path / "crm.sqlite") as store:
        conn = store.conn
        for name in crm.store.TABLE_ORDER:
            if name not in tables:
                assert store.counts()[name] == 0
                continue
            frame = tables[name]
            stored = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
            columns = [c for c in stored if c in frame.columns or c == frame.index.name]
            keys = crm.store._key_columns(conn, name)
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM {name} ORDER BY {', '.join(keys)}").fetchall()
            assert rows == _expected_rows(frame, columns, keys), name
            for column in columns:   # a missing value is SQL NULL, never a stored NaN or text
                nulls = conn.execute(f"SELECT count(*) FROM {name} WHERE typeof({column}) = 'null'").fetchone()[0]
                values = frame[column] if column in frame.columns else frame.index.to_series()
                assert nulls == int(values.isna().sum()), (name, column)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        schema = sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())
    # The same tables, indexes and constraints as the schema files make on an empty database.
    empty = sqlite3.connect(":memory:")
    empty.executescript(crm.store.SCHEMA_SQL.read_text(encoding="utf-8"))
    empty.executescript(crm.store.INDEXES_SQL.read_text(encoding="utf-8"))
    assert schema == sorted(empty.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())


def _bad_last_table(kind: str) -> dict[str, pd.DataFrame]:
    """A world whose last table to load is wrong, so the load fails after every other table went in."""
    world = small_world()
    if kind == "check":
        world["service_requests"].loc[0, "kind"] = "visit"
    elif kind == "foreign key":
        world["service_requests"].loc[0, "account_id"] = "A999999"
    else:   # a bad row deep inside a table sent 199 rows per statement: the message still names that row
        n = 1000
        world["order_lines"] = pd.DataFrame({"order_id": ["R0001"] * n, "line_no": range(1, n + 1),
                                             "product_id": ["P001"] * n, "quantity": [1.0] * 997 + [0.0, 1.0, 1.0],
                                             "unit_price": [600.0] * n})
    return world


@pytest.mark.parametrize("kind, message", [
    ("check", r"service_requests.*ticket_id='S0000001'.*CHECK constraint failed: kind"),
    ("foreign key", r"service_requests.*ticket_id='S0000001'.*accounts.account_id 'A999999'"),
    ("deep row", r"order_lines.*order_id='R0001', line_no=998.*quantity > 0"),
])
def test_a_load_failing_half_way_leaves_no_partial_store(tmp_path, kind, message):
    path = tmp_path / "crm.sqlite"
    with pytest.raises(CrmlabInputError, match=message):
        crm.open(_bad_last_table(kind), path)
    assert list(tmp_path.iterdir()) == []                   # no store, no journal, no leftover
    # Replacing a store: the failed load keeps the old one, byte for byte, and leaves nothing beside it.
    with crm.open(small_world(), path) as old:
        old.add_customer("已提交客户", "consumer", created_date="2024-05-01")
    before = path.read_bytes()
    with pytest.raises(CrmlabInputError, match=message):
        crm.open(_bad_last_table(kind), path, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.sqlite"] and path.read_bytes() == before
    with crm.open(path=path) as again:
        assert "已提交客户" in again.table("accounts")["name"].tolist()
    with crm.open(small_world(), path, overwrite=True) as replaced:   # a good world does replace it
        assert replaced.counts()["accounts"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["crm.sqlite"]
