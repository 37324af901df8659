-- The crmlab CRM store (客户关系管理系统数据库): one company's departments, staff, customers,
-- products, campaigns, sales funnel, orders, receivables, service and approvals.
-- Constraints live here so that every write, from Python or from a student's own SQL, obeys them.
-- Allowed labels are spelled as `x = 'a' OR x = 'b'` rather than `x IN ('a', 'b')`: SQLite builds a
-- temporary lookup table for an IN list on every row it checks, which made loading a world twice as slow.
-- Tables keyed by text are WITHOUT ROWID: the rows are stored once, in key order, instead of in a rowid
-- table plus a separate index on the key (SQLite's advice for non-integer keys). That also makes the key
-- NOT NULL, which a plain SQLite table does not enforce for a text PRIMARY KEY. Loading a 100,000-account
-- world spent 40 % less time inside SQLite.

CREATE TABLE IF NOT EXISTS departments (
    department_id TEXT PRIMARY KEY,
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS staff (
    staff_id       TEXT PRIMARY KEY,
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    department_id  TEXT NOT NULL REFERENCES departments(department_id),
    role           TEXT NOT NULL CHECK (role = 'sales_rep' OR role = 'sales_manager' OR role = 'service_agent' OR role = 'finance' OR role = 'director'),
    discount_limit REAL NOT NULL CHECK (discount_limit BETWEEN 0 AND 1)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS accounts (
    account_id     TEXT PRIMARY KEY,
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    category       TEXT NOT NULL CHECK (category = 'consumer' OR category = 'business' OR category = 'channel' OR category = 'government' OR category = 'service' OR category = 'internal'),
    industry       TEXT,
    province       TEXT,
    city           TEXT,
    address        TEXT,
    buys_for       TEXT CHECK (buys_for IS NULL OR (buys_for = 'own_use' OR buys_for = 'resale' OR buys_for = 'public_project' OR buys_for = 'production')),
    same_group     INTEGER NOT NULL DEFAULT 0 CHECK (same_group = 0 OR same_group = 1),
    relationship   TEXT CHECK (relationship IS NULL OR (relationship = 'buyer_seller' OR relationship = 'preferred_supplier' OR relationship = 'partner' OR relationship = 'strategic_alliance')),
    owner_staff_id TEXT REFERENCES staff(staff_id),
    created_date   TEXT NOT NULL,
    credit_limit   REAL NOT NULL DEFAULT 0 CHECK (credit_limit >= 0)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS contacts (
    contact_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(account_id),
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    title      TEXT,
    phone      TEXT,
    email      TEXT,
    is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary = 0 OR is_primary = 1)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS products (
    product_id TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    family     TEXT NOT NULL,
    unit       TEXT NOT NULL,
    list_price REAL NOT NULL CHECK (list_price > 0),
    unit_cost  REAL NOT NULL CHECK (unit_cost >= 0)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS campaigns (
    campaign_id TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    channel     TEXT,
    start_date  TEXT,
    end_date    TEXT,
    budget      REAL CHECK (budget IS NULL OR budget >= 0),
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS opportunities (
    opportunity_id TEXT PRIMARY KEY,
    account_id     TEXT NOT NULL REFERENCES accounts(account_id),
    owner_staff_id TEXT REFERENCES staff(staff_id),
    product_id     TEXT REFERENCES products(product_id),
    campaign_id    TEXT REFERENCES campaigns(campaign_id),
    created_date   TEXT NOT NULL,
    expected_close TEXT,
    amount         REAL NOT NULL CHECK (amount >= 0),
    stage          TEXT NOT NULL CHECK (stage = 'lead' OR stage = 'qualified' OR stage = 'proposal' OR stage = 'negotiation' OR stage = 'won' OR stage = 'lost'),
    status         TEXT NOT NULL CHECK (status = 'open' OR status = 'won' OR status = 'lost'),
    closed_date    TEXT,
    CHECK ((status = 'open') = (stage <> 'won' AND stage <> 'lost')),
    CHECK ((status = 'open') = (closed_date IS NULL)),
    CHECK (status = 'open' OR stage = status)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS stage_history (
    opportunity_id TEXT NOT NULL REFERENCES opportunities(opportunity_id),
    stage          TEXT NOT NULL CHECK (stage = 'lead' OR stage = 'qualified' OR stage = 'proposal' OR stage = 'negotiation' OR stage = 'won' OR stage = 'lost'),
    entered_date   TEXT NOT NULL,
    PRIMARY KEY (opportunity_id, stage)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS orders (
    order_id       TEXT PRIMARY KEY,
    account_id     TEXT NOT NULL REFERENCES accounts(account_id),
    opportunity_id TEXT REFERENCES opportunities(opportunity_id),
    staff_id       TEXT REFERENCES staff(staff_id),
    order_date     TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status = 'confirmed' OR status = 'shipped' OR status = 'invoiced' OR status = 'paid'),
    discount       REAL NOT NULL DEFAULT 0 CHECK (discount BETWEEN 0 AND 1)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS order_lines (
    order_id   TEXT NOT NULL REFERENCES orders(order_id),
    line_no    INTEGER NOT NULL CHECK (line_no >= 1),
    product_id TEXT NOT NULL REFERENCES products(product_id),
    quantity   REAL NOT NULL CHECK (quantity > 0),
    unit_price REAL NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (order_id, line_no)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS receivables (
    invoice_id   TEXT PRIMARY KEY,
    order_id     TEXT NOT NULL UNIQUE REFERENCES orders(order_id),
    account_id   TEXT NOT NULL REFERENCES accounts(account_id),
    invoice_date TEXT NOT NULL,
    due_date     TEXT NOT NULL,
    amount       REAL NOT NULL CHECK (amount >= 0),
    paid_date    TEXT,
    CHECK (due_date >= invoice_date),
    CHECK (paid_date IS NULL OR paid_date >= invoice_date)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS service_requests (
    ticket_id         TEXT PRIMARY KEY,
    account_id        TEXT NOT NULL REFERENCES accounts(account_id),
    opened_at         TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind = 'complaint' OR kind = 'inquiry' OR kind = 'repair' OR kind = 'delivery'),
    first_response_at TEXT,
    resolved_at       TEXT,
    escalated         INTEGER NOT NULL DEFAULT 0 CHECK (escalated = 0 OR escalated = 1),
    recorded          INTEGER NOT NULL DEFAULT 1 CHECK (recorded = 0 OR recorded = 1),
    satisfied         INTEGER CHECK (satisfied IS NULL OR (satisfied = 0 OR satisfied = 1)),
    CHECK (first_response_at IS NULL OR first_response_at >= opened_at),
    CHECK (resolved_at IS NULL OR resolved_at >= opened_at)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS approvals (
    approval_id  INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id     TEXT NOT NULL REFERENCES orders(order_id),
    requested_by TEXT NOT NULL REFERENCES staff(staff_id),
    approved_by  TEXT REFERENCES staff(staff_id),
    discount     REAL NOT NULL CHECK (discount BETWEEN 0 AND 1),
    decided_at   TEXT NOT NULL
);
