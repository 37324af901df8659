"""The lab manual's CRM operations (博星卓越 CRM 实验 3–10), each one transaction on the store.

Every operation checks its input first and raises :class:`CrmlabInputError` with a message that
says what to fix; the write runs in one transaction that takes the write lock first (``BEGIN IMMEDIATE``),
so a refused or failed operation leaves the database exactly as it was and two programs writing at once
never read the same next ID. SQL is always parameterised.

They are methods of :class:`crmlab.crm.CrmStore` (``store.move_opportunity(...)``).
"""
from __future__ import annotations

import numbers
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pandas as pd

from crmlab.i18n import tr
from crmlab.quality.reports import validity
from crmlab.quality.rules import normalise_phone, validity_rules
from crmlab.validation import CrmlabInputError, require_choice, require_fraction

if TYPE_CHECKING:
    from crmlab.crm.store import CrmStore

# The sales funnel (销售漏斗): open stages in order, then the two ways out.
STAGES = ("lead", "qualified", "proposal", "negotiation", "won")
CLOSED = ("won", "lost")
CATEGORIES = ("consumer", "business", "channel", "government", "service", "internal")
TICKET_KINDS = ("complaint", "inquiry", "repair", "delivery")
APPROVER_ROLES = ("sales_manager", "director")
EDITABLE = ("name", "category", "industry", "province", "city", "buys_for", "same_group", "relationship",
            "owner_staff_id", "credit_limit")


def _fail(en: str, zh: str) -> CrmlabInputError:
    return CrmlabInputError(tr(en, zh))


def _date(value: Any, name: str, *, with_time: bool = False) -> str:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise _fail(f"{name} must be a date such as '2024-03-31', got {value!r}.",
                    f"{name} 必须是日期，例如 '2024-03-31'，实际是 {value!r}。")
    return stamp.strftime("%Y-%m-%d %H:%M:%S" if with_time else "%Y-%m-%d")


def _today(with_time: bool = False) -> str:
    return pd.Timestamp.now().strftime("%Y-%m-%d %H:%M:%S" if with_time else "%Y-%m-%d")


def _row(conn: sqlite3.Connection, table: str, key: str, value: Any, what_en: str, what_zh: str) -> sqlite3.Row:
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute(f"SELECT * FROM {table} WHERE {key} = ?", (value,)).fetchone()
    finally:
        conn.row_factory = None
    if row is None:
        raise _fail(f"unknown {what_en} {value!r}: there is no such {key} in table {table}. "
                    f"Look it up first, e.g. store.sql('SELECT {key} FROM {table} LIMIT 5').",
                    f"未知的{what_zh} {value!r}：表 {table} 中没有这个 {key}。"
                    f"请先查询，例如 store.sql('SELECT {key} FROM {table} LIMIT 5')。")
    return row


def _next_id(conn: sqlite3.Connection, table: str, key: str, default_prefix: str, width: int) -> str:
    """The next free ID in the table's own style (prefix + zero-padded number)."""
    last = conn.execute(f"SELECT {key} FROM {table} ORDER BY length({key}) DESC, {key} DESC LIMIT 1").fetchone()
    if last is None:
        return f"{default_prefix}{1:0{width}d}"
    match = re.fullmatch(r"(\D*)(\d+)", last[0])
    if match is None:
        return f"{default_prefix}{conn.execute(f'SELECT count(*) FROM {table}').fetchone()[0] + 1:0{width}d}"
    prefix, digits = match.groups()
    return f"{prefix}{int(digits) + 1:0{len(digits)}d}"


def _text(value: Any, name: str, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(f"{name} must be a non-empty text, got {value!r}.",
                    f"{name} 必须是非空文字，实际是 {value!r}。")
    return value.strip()


def _check_contact(phone: str | None, email: str | None, locale: str) -> str | None:
    """Apply lesson 02's validity rules to a new contact; return the phone in its standard form."""
    values = {"phone": phone, "email": email}
    frame = pd.DataFrame({k: pd.Series([v], dtype="str") for k, v in values.items() if v is not None})
    if frame.empty:
        return None
    rules = validity_rules(locale)
    flags = validity(frame, rules[rules["column"].isin(frame.columns)], locale).iloc[0]
    failed = flags[flags == False]  # noqa: E712 - nullable booleans
    if len(failed):
        rule = rules.set_index("rule").loc[failed.index[0]]
        raise _fail(f"{rule['column']} {values[rule['column']]!r} is refused: the rule '{failed.index[0]}' "
                    f"({rule['description']}) fails. Ask the customer for a real one.",
                    f"{rule['column']} {values[rule['column']]!r} 未通过规则“{failed.index[0]}”（{rule['description']}），"
                    "请向客户核实真实信息。")
    return None if phone is None else normalise_phone(frame["phone"], locale).iloc[0]


def _account_fields(conn: sqlite3.Connection, fields: dict[str, Any]) -> dict[str, Any]:
    """Check the account columns being written; return them ready for SQL."""
    out = dict(fields)
    if "name" in out:
        out["name"] = _text(out["name"], "name", required=True)
    if "category" in out:
        require_choice(out["category"], "category", CATEGORIES)
    if out.get("owner_staff_id") is not None:
        _row(conn, "staff", "staff_id", out["owner_staff_id"], "staff member", "员工")
    if "credit_limit" in out:
        limit = out["credit_limit"]
        if isinstance(limit, bool) or not isinstance(limit, numbers.Real) or not limit >= 0:
            raise _fail(f"credit_limit must be a number ≥ 0, got {limit!r}.",
                        f"credit_limit 必须是 ≥ 0 的数，实际是 {limit!r}。")
        out["credit_limit"] = float(limit)
    if "same_group" in out:
        out["same_group"] = int(bool(out["same_group"]))
    if out.get("buys_for") is not None:
        require_choice(out["buys_for"], "buys_for", ("own_use", "resale", "public_project", "production"))
    if out.get("relationship") is not None:
        require_choice(out["relationship"], "relationship",
                       ("buyer_seller", "preferred_supplier", "partner", "strategic_alliance"))
    return out


@contextmanager
def _guarded(store: CrmStore, action: str) -> Iterator[sqlite3.Connection]:
    """One write transaction that holds the write lock from its first statement.

    ``BEGIN IMMEDIATE`` takes SQLite's write lock before anything is read, so the next free ID read inside
    the transaction cannot be taken by another program at the same time (with a plain ``BEGIN`` two writers
    read the same ID and one is refused). While another program writes, SQLite's busy handler retries for up
    to the connection's timeout (``crmlab.crm.store.BUSY_TIMEOUT`` seconds); only then is the write given up,
    with a CrmlabInputError. A constraint the database enforces also becomes a CrmlabInputError after the
    rollback.
    """
    conn = store.conn
    if not conn.in_transaction:   # inside a transaction of the caller's own, that transaction holds the lock
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise _busy(store, action, exc) from None
    try:
        with conn:
            yield conn
    except sqlite3.IntegrityError as exc:
        raise _fail(f"{action} was refused by the database ({exc}); nothing was changed.",
                    f"{action} 被数据库拒绝（{exc}），数据未作任何改动。") from None
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        raise _busy(store, action, exc) from None


def _busy(store: CrmStore, action: str, exc: Exception) -> CrmlabInputError:
    from crmlab.crm.store import BUSY_TIMEOUT
    return _fail(f"{action} waited {BUSY_TIMEOUT:.0f} s for another program writing to {str(store.path)!r} and "
                 f"gave up ({exc}); nothing was changed. Close the other program's open transaction (e.g. a "
                 "DB browser with unsaved changes) and try again.",
                 f"{action} 等待其他程序写入 {str(store.path)!r} 超过 {BUSY_TIMEOUT:.0f} 秒后放弃（{exc}），数据未作任何"
                 "改动。请结束其他程序未提交的事务（例如未保存修改的数据库浏览器）后重试。")


def add_customer(store: CrmStore, name: str, category: str, *, owner_staff_id: str | None = None,
                 industry: str | None = None, province: str | None = None, city: str | None = None,
                 buys_for: str | None = None, same_group: bool = False, relationship: str | None = None,
                 credit_limit: float = 0.0, created_date: Any = None, contact_name: str | None = None,
                 phone: str | None = None, email: str | None = None, locale: str = "zh_CN") -> str:
    """Add a customer account (新增客户), optionally with its primary contact; return the new account_id.

    The name must be non-empty, the category one of the course's six (consumer, business, channel,
    government, service, internal), the owner an existing staff member, the credit limit ≥ 0, and the
    contact's phone and e-mail valid for ``locale`` and not placeholders (see crmlab.quality.rules).
    """
    conn = store.conn
    fields = _account_fields(conn, {
        "name": name, "category": category, "owner_staff_id": owner_staff_id, "industry": industry,
        "province": province, "city": city, "buys_for": buys_for, "same_group": same_group,
        "relationship": relationship, "credit_limit": credit_limit,
    })
    fields["created_date"] = _today() if created_date is None else _date(created_date, "created_date")
    has_contact = any(v is not None for v in (contact_name, phone, email))
    if has_contact:
        contact_name = _text(contact_name if contact_name is not None else fields["name"], "contact_name",
                             required=True)
        phone = _check_contact(phone, email, locale)
    with _guarded(store, tr("adding the customer", "新增客户")):
        account_id = _next_id(conn, "accounts", "account_id", "A", 6)
        fields["account_id"] = account_id
        conn.execute(f"INSERT INTO accounts ({', '.join(fields)}) VALUES ({', '.join('?' for _ in fields)})",
                     tuple(fields.values()))
        if has_contact:
            contact_id = _next_id(conn, "contacts", "contact_id", "P", 7)
            conn.execute("INSERT INTO contacts (contact_id, account_id, name, phone, email, is_primary) "
                         "VALUES (?, ?, ?, ?, ?, 1)", (contact_id, account_id, contact_name, phone, email))
    return account_id


def edit_customer(store: CrmStore, account_id: str, **changes: Any) -> None:
    """Change fields of a customer account (编辑客户信息), with the same checks as :func:`add_customer`."""
    unknown = [k for k in changes if k not in EDITABLE]
    if unknown or not changes:
        raise _fail(f"edit_customer can change {', '.join(EDITABLE)}; got {unknown or 'nothing'}.",
                    f"edit_customer 可修改的字段为 {', '.join(EDITABLE)}；实际传入 {unknown or '无'}。")
    conn = store.conn
    _row(conn, "accounts", "account_id", account_id, "customer", "客户")
    fields = _account_fields(conn, changes)
    with _guarded(store, tr("editing the customer", "编辑客户")):
        conn.execute(f"UPDATE accounts SET {', '.join(f'{k} = ?' for k in fields)} WHERE account_id = ?",
                     (*fields.values(), account_id))


def move_opportunity(store: CrmStore, opportunity_id: str, to_stage: str, date: Any = None) -> None:
    """Move an opportunity to the next funnel stage (推进销售机会), or close it as lost.

    Stages go lead → qualified → proposal → negotiation → won, one step at a time; skipping a stage,
    going back, or moving a closed opportunity is refused. ``lost`` is allowed from any open stage.
    """
    conn = store.conn
    require_choice(to_stage, "to_stage", (*STAGES, "lost"))
    opp = _row(conn, "opportunities", "opportunity_id", opportunity_id, "opportunity", "销售机会")
    if opp["status"] != "open":
        raise _fail(f"opportunity {opportunity_id} is already closed ({opp['status']}); it cannot move.",
                    f"销售机会 {opportunity_id} 已关闭（{opp['status']}），不能再推进。")
    current = STAGES.index(opp["stage"])
    if to_stage != "lost" and STAGES.index(to_stage) != current + 1:
        raise _fail(f"opportunity {opportunity_id} is at stage {opp['stage']!r}; the next stage is "
                    f"{STAGES[current + 1]!r}, not {to_stage!r}. Stages cannot be skipped or reversed.",
                    f"销售机会 {opportunity_id} 处于 {opp['stage']!r} 阶段，下一阶段应为 {STAGES[current + 1]!r}，"
                    f"而不是 {to_stage!r}。销售阶段不能跳过或倒退。")
    day = _today() if date is None else _date(date, "date")
    entered = conn.execute("SELECT max(entered_date) FROM stage_history WHERE opportunity_id = ?",
                           (opportunity_id,)).fetchone()[0]
    if entered is not None and day < entered[:10]:
        raise _fail(f"date {day} is before the opportunity entered its current stage ({entered[:10]}).",
                    f"日期 {day} 早于该销售机会进入当前阶段的日期（{entered[:10]}）。")
    status = to_stage if to_stage in CLOSED else "open"
    with _guarded(store, tr("moving the opportunity", "推进销售机会")):
        conn.execute("UPDATE opportunities SET stage = ?, status = ?, closed_date = ? WHERE opportunity_id = ?",
                     (to_stage, status, day if status != "open" else None, opportunity_id))
        conn.execute("INSERT INTO stage_history (opportunity_id, stage, entered_date) VALUES (?, ?, ?)",
                     (opportunity_id, to_stage, day))


def approve_discount(store: CrmStore, order_id: str, discount: float, requested_by: str,
                     approved_by: str | None = None, date: Any = None) -> int:
    """Set an order's discount (折扣审批); return the approval's id.

    A discount up to the requester's ``discount_limit`` goes through; above it, ``approved_by`` must be a
    sales manager or director whose own limit covers the discount. Only orders not yet invoiced can change.
    """
    conn = store.conn
    discount = require_fraction(discount, "discount")
    order = _row(conn, "orders", "order_id", order_id, "order", "订单")
    if order["status"] not in ("confirmed", "shipped"):
        raise _fail(f"order {order_id} is already {order['status']}; its discount can no longer change.",
                    f"订单 {order_id} 已是 {order['status']} 状态，折扣不能再修改。")
    requester = _row(conn, "staff", "staff_id", requested_by, "staff member", "员工")
    if discount > requester["discount_limit"]:
        if approved_by is None:
            raise _fail(f"discount {discount:.0%} is above {requested_by}'s limit of {requester['discount_limit']:.0%}; "
                        "it needs approved_by = a sales manager or director.",
                        f"折扣 {discount:.0%} 超过 {requested_by} 的权限 {requester['discount_limit']:.0%}，"
                        "需要销售经理或总监审批（approved_by）。")
        approver = _row(conn, "staff", "staff_id", approved_by, "staff member", "员工")
        if approver["role"] not in APPROVER_ROLES or discount > approver["discount_limit"]:
            raise _fail(f"{approved_by} ({approver['role']}, limit {approver['discount_limit']:.0%}) cannot approve a "
                        f"{discount:.0%} discount; ask a sales manager or director whose limit covers it.",
                        f"{approved_by}（{approver['role']}，权限 {approver['discount_limit']:.0%}）无权批准 "
                        f"{discount:.0%} 的折扣；请找权限足够的销售经理或总监审批。")
    day = _today(with_time=True) if date is None else _date(date, "date", with_time=True)
    with _guarded(store, tr("approving the discount", "折扣审批")):
        conn.execute("UPDATE orders SET discount = ? WHERE order_id = ?", (discount, order_id))
        cursor = conn.execute("INSERT INTO approvals (order_id, requested_by, approved_by, discount, decided_at) "
                              "VALUES (?, ?, ?, ?, ?)", (order_id, requested_by, approved_by, discount, day))
    return int(cursor.lastrowid)


def invoice_order(store: CrmStore, order_id: str, invoice_date: Any = None, due_days: int = 30) -> str:
    """Turn an order into a receivable (订单转应收款); return the new invoice_id.

    amount = Σ quantity × unit_price × (1 − discount), rounded to cents; the order becomes ``invoiced``.
    An order can be invoiced once.
    """
    conn = store.conn
    if isinstance(due_days, bool) or not isinstance(due_days, numbers.Integral) or due_days < 0:
        raise _fail(f"due_days must be a whole number of days ≥ 0, got {due_days!r}.",
                    f"due_days 必须是 ≥ 0 的整数天数，实际是 {due_days!r}。")
    order = _row(conn, "orders", "order_id", order_id, "order", "订单")
    if order["status"] not in ("confirmed", "shipped"):
        raise _fail(f"order {order_id} is already {order['status']}; it has been invoiced before.",
                    f"订单 {order_id} 已是 {order['status']} 状态，之前已开过发票。")
    gross = conn.execute("SELECT sum(quantity * unit_price), count(*) FROM order_lines WHERE order_id = ?",
                         (order_id,)).fetchone()
    if not gross[1]:
        raise _fail(f"order {order_id} has no order lines; add what was sold before invoicing.",
                    f"订单 {order_id} 没有订单明细，请先录入销售的产品。")
    day = pd.Timestamp(_today() if invoice_date is None else _date(invoice_date, "invoice_date"))
    if day.strftime("%Y-%m-%d") < order["order_date"][:10]:
        raise _fail(f"invoice_date {day.date()} is before the order date {order['order_date'][:10]}.",
                    f"开票日期 {day.date()} 早于下单日期 {order['order_date'][:10]}。")
    amount = round(gross[0] * (1 - order["discount"]), 2)
    with _guarded(store, tr("invoicing the order", "订单转应收款")):
        invoice_id = _next_id(conn, "receivables", "invoice_id", "I", 7)
        conn.execute("INSERT INTO receivables (invoice_id, order_id, account_id, invoice_date, due_date, amount) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     (invoice_id, order_id, order["account_id"], day.strftime("%Y-%m-%d"),
                      (day + pd.Timedelta(days=int(due_days))).strftime("%Y-%m-%d"), amount))
        conn.execute("UPDATE orders SET status = 'invoiced' WHERE order_id = ?", (order_id,))
    return invoice_id


def log_ticket(store: CrmStore, account_id: str, kind: str, opened_at: Any = None,
               first_response_at: Any = None, escalated: bool = False) -> str:
    """Log a service request or complaint (登记服务请求/投诉); return the new ticket_id."""
    conn = store.conn
    require_choice(kind, "kind", TICKET_KINDS)
    _row(conn, "accounts", "account_id", account_id, "customer", "客户")
    opened = _today(with_time=True) if opened_at is None else _date(opened_at, "opened_at", with_time=True)
    response = None if first_response_at is None else _date(first_response_at, "first_response_at", with_time=True)
    if response is not None and response < opened:
        raise _fail(f"first_response_at {response} is before opened_at {opened}.",
                    f"首次响应时间 {response} 早于登记时间 {opened}。")
    with _guarded(store, tr("logging the ticket", "登记服务请求")):
        ticket_id = _next_id(conn, "service_requests", "ticket_id", "S", 7)
        conn.execute("INSERT INTO service_requests (ticket_id, account_id, opened_at, kind, first_response_at, "
                     "escalated, recorded) VALUES (?, ?, ?, ?, ?, ?, 1)",
                     (ticket_id, account_id, opened, kind, response, int(bool(escalated))))
    return ticket_id


def close_ticket(store: CrmStore, ticket_id: str, resolved_at: Any = None, satisfied: bool | None = None) -> None:
    """Close a service ticket (关闭服务请求) with its resolution time and, if surveyed, satisfaction."""
    conn = store.conn
    ticket = _row(conn, "service_requests", "ticket_id", ticket_id, "ticket", "服务单")
    if ticket["resolved_at"] is not None:
        raise _fail(f"ticket {ticket_id} was already closed at {ticket['resolved_at']}.",
                    f"服务单 {ticket_id} 已于 {ticket['resolved_at']} 关闭。")
    if satisfied is not None and not isinstance(satisfied, bool):
        raise _fail(f"satisfied must be True, False or None (not surveyed), got {satisfied!r}.",
                    f"satisfied 必须是 True、False 或 None（未调查），实际是 {satisfied!r}。")
    resolved = _today(with_time=True) if resolved_at is None else _date(resolved_at, "resolved_at", with_time=True)
    if resolved < ticket["opened_at"]:
        raise _fail(f"resolved_at {resolved} is before the ticket was opened ({ticket['opened_at']}).",
                    f"解决时间 {resolved} 早于服务单登记时间（{ticket['opened_at']}）。")
    with _guarded(store, tr("closing the ticket", "关闭服务单")):
        # A ticket closed without a separate first answer was answered by its resolution.
        conn.execute("UPDATE service_requests SET resolved_at = ?, satisfied = ?, "
                     "first_response_at = coalesce(first_response_at, ?) WHERE ticket_id = ?",
                     (resolved, None if satisfied is None else int(satisfied), resolved, ticket_id))
