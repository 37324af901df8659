"""The ``World``: one company's tables, their dtypes, and their CSV form.

The column types of every table live in :data:`TABLES` (the machine-readable side of
datasets/SCHEMA.md); generators and the CSV reader both pass through :func:`apply_dtypes`, so a
world read back from CSV equals the world that was written.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import CrmlabInputError


def cat(*categories: str, ordered: bool = False) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(categories), ordered=ordered)


CITY = "category"  # categories are the values present, sorted, so CSV round trips agree
TIER = cat("basic", "silver", "gold", "platinum", ordered=True)
LIKERT7 = "int"

_SURVEY = {"response_id": "id", "customer_id": "id", "date": "date", "overall": "int", "recommend": "int"}
for _attr in ("quality", "price", "service", "range", "convenience"):
    _SURVEY[f"expect_{_attr}"] = LIKERT7
    _SURVEY[f"perceive_{_attr}"] = LIKERT7
for _attr in ("quality", "price", "service", "range", "convenience"):
    _SURVEY[f"importance_{_attr}"] = LIKERT7
_SURVEY.update({"repurchase_intent": LIKERT7, "attachment": LIKERT7})

TABLES: dict[str, dict[str, dict[str, object]]] = {
    "retail": {
        "customers": {
            "customer_id": "id", "name": "str", "gender": cat("F", "M"), "birth_year": "int",
            "province": CITY, "city": CITY, "address": "str", "phone": "str", "email": "str",
            "signup_date": "date", "acquisition_channel": cat("store", "online", "referral", "campaign"),
            "member_tier": TIER, "points_balance": "int",
        },
        "transactions": {
            "transaction_id": "id", "customer_id": "id", "date": "date", "amount": "float", "n_items": "int",
            "category": cat("fresh", "grocery", "household", "electronics", "clothing"),
            "channel": cat("store", "online"), "store": CITY,
        },
        "survey": _SURVEY,
        "tickets": {
            "ticket_id": "id", "customer_id": "id", "opened_at": "datetime",
            "kind": cat("complaint", "inquiry", "return", "repair"), "channel": cat("phone", "online", "store"),
            "first_response_at": "datetime", "resolved_at": "datetime", "resolved": "bool", "satisfied": "boolean",
        },
        "truth": {
            "customer_id": "id", "true_purchase_rate": "float", "true_dropout_prob": "float",
            "true_dropout_date": "date", "true_alive": "bool", "true_mean_spend": "float",
            "true_satisfaction": "float", "true_attachment": "float",
            "true_loyalty_type": cat("monopoly", "inertia", "price", "incentive", "trust", "none"),
            "true_switching_cost": "float",
        },
    },
    "b2b": {
        "accounts": {
            "account_id": "id", "name": "str",
            "category": cat("consumer", "business", "channel", "government", "service", "internal"),
            "industry": "category", "province": CITY, "city": CITY, "address": "str",
            "buys_for": cat("own_use", "resale", "public_project", "production"), "same_group": "bool",
            "relationship": cat("buyer_seller", "preferred_supplier", "partner", "strategic_alliance", ordered=True),
            "owner_staff_id": "id", "created_date": "date", "credit_limit": "float",
        },
        "contacts": {"contact_id": "id", "account_id": "id", "name": "str", "title": "str", "phone": "str",
                     "email": "str", "is_primary": "bool"},
        "products": {"product_id": "id", "name": "str", "family": cat("rebar", "plate", "pipe", "wire", "section"),
                     "unit": "str", "list_price": "float", "unit_cost": "float"},
        "departments": {"department_id": "id", "name": "str"},
        "staff": {"staff_id": "id", "name": "str", "department_id": "id",
                  "role": cat("sales_rep", "sales_manager", "service_agent", "finance", "director"),
                  "discount_limit": "float"},
        "opportunities": {
            "opportunity_id": "id", "account_id": "id", "owner_staff_id": "id", "product_id": "id",
            "created_date": "date", "expected_close": "date", "amount": "float",
            "stage": cat("lead", "qualified", "proposal", "negotiation", "won", "lost"),
            "status": cat("open", "won", "lost"), "closed_date": "date",
        },
        "stage_history": {"opportunity_id": "id",
                          "stage": cat("lead", "qualified", "proposal", "negotiation", "won", "lost"),
                          "entered_date": "date"},
        "orders": {"order_id": "id", "account_id": "id", "opportunity_id": "id", "staff_id": "id",
                   "order_date": "date", "status": cat("confirmed", "shipped", "invoiced", "paid", ordered=True),
                   "discount": "float"},
        "order_lines": {"order_id": "id", "line_no": "int", "product_id": "id", "quantity": "float",
                        "unit_price": "float"},
        "receivables": {"invoice_id": "id", "order_id": "id", "account_id": "id", "invoice_date": "date",
                        "due_date": "date", "amount": "float", "paid_date": "date"},
        "service_requests": {
            "ticket_id": "id", "account_id": "id", "opened_at": "datetime",
            "kind": cat("complaint", "inquiry", "repair", "delivery"), "first_response_at": "datetime",
            "resolved_at": "datetime", "escalated": "bool", "recorded": "bool", "satisfied": "boolean",
        },
        "truth": {"account_id": "id", "true_category_reason": "str", "true_annual_demand": "float",
                  "true_churn_date": "date", "true_satisfaction": "float"},
    },
}


def apply_dtypes(frame: pd.DataFrame | dict, spec: dict[str, object]) -> pd.DataFrame:
    """Order the columns as ``spec`` says and give each its dtype (ids and text as str, dates as datetime64).

    ``frame`` may be a DataFrame or a dict of columns; columns already of the right dtype are not copied.
    """
    out = {}
    for column, kind in spec.items():
        values = frame[column] if isinstance(frame[column], pd.Series) else pd.Series(frame[column], copy=False)
        # pd.Categorical, not astype: unordered dtypes compare equal whatever their category
        # order, so astype would keep the generator's order and the CSV round trip would differ.
        if isinstance(kind, pd.CategoricalDtype):
            out[column] = pd.Categorical(values, categories=kind.categories, ordered=kind.ordered)
        elif kind == "category":
            if isinstance(values.dtype, pd.CategoricalDtype):  # cheap for millions of rows
                codes = values.cat.codes.to_numpy()
                present = sorted(values.cat.categories[np.unique(codes[codes >= 0])])
                out[column] = values.cat.set_categories(present)
            else:
                out[column] = pd.Categorical(values, categories=sorted(pd.unique(values.dropna().astype(str))))
        elif kind in ("id", "str"):
            out[column] = values.astype("str")
        elif kind == "date":
            out[column] = pd.to_datetime(values).astype("datetime64[s]")
        elif kind == "datetime":
            out[column] = pd.to_datetime(values).astype("datetime64[s]")
        elif kind == "int":
            out[column] = values.astype("int64")
        elif kind == "float":
            out[column] = values.astype("float64")
        elif kind == "bool":
            out[column] = values.astype(bool)
        elif kind == "boolean":
            out[column] = values.astype("boolean")
        else:  # pragma: no cover - TABLES is fixed data
            raise ValueError(f"unknown column kind {kind!r}")
    return pd.DataFrame(out, copy=False)


@dataclass
class World:
    """One synthetic company: named tables that agree with each other, plus the latent truth.

    ``world["customers"]`` is a table; ``world.meta`` holds scenario, seed, locale, size,
    start, end, analysis_date (the day after the last observed day) and currency.
    """

    scenario: str
    tables: dict[str, pd.DataFrame]
    meta: dict = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            raise CrmlabInputError(tr(
                f"This {self.scenario} world has no table {name!r}; its tables are: {', '.join(self.tables)}.",
                f"这个 {self.scenario} 世界没有表 {name!r}；现有的表：{', '.join(self.tables)}。",
            ))
        return self.tables[name]

    def __iter__(self):
        return iter(self.tables)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(table):,}" for name, table in self.tables.items())
        return f"World({self.scenario!r}, {self.meta.get('locale', '?')}, seed={self.meta.get('seed')}: {sizes})"

    def to_csv(self, directory: str | Path, force: bool = False, progress=None) -> list[Path]:
        """Write one CSV per table (plus ``meta.json``) into ``directory``; never overwrite unless ``force``.

        The bytes are those of pandas' ``to_csv(index=False, lineterminator="\\n")`` with dates written
        YYYY-MM-DD, produced by a vectorised writer (:mod:`crmlab.synth.writer`); all files or none.
        """
        from crmlab.synth.writer import write_world

        return write_world(self, directory, "csv", force=force, progress=progress)

    def to_parquet(self, directory: str | Path, force: bool = False, progress=None) -> list[Path]:
        """Write one Parquet file per table (plus ``meta.json``) into ``directory``, dtypes kept; all or none."""
        from crmlab.synth.writer import write_world

        return write_world(self, directory, "parquet", force=force, progress=progress)

    @classmethod
    def from_csv(cls, directory: str | Path) -> "World":
        """Read a world written by :meth:`to_csv` (or :meth:`to_parquet`), with its dtypes (dates, categories,
        ids as str, bools)."""
        directory = Path(directory)
        meta_path = directory / "meta.json"
        if not meta_path.is_file():
            raise CrmlabInputError(tr(
                f"{directory} holds no world: meta.json is missing. Write one with World.to_csv or "
                "`crmlab generate ... --out DIR`.",
                f"{directory} 不是一个数据世界：缺少 meta.json。请用 World.to_csv 或 `crmlab generate ... --out DIR` 生成。",
            ))
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        scenario = meta["scenario"]
        tables = {}
        for name, spec in TABLES[scenario].items():
            if (directory / f"{name}.parquet").is_file() and not (directory / f"{name}.csv").is_file():
                tables[name] = apply_dtypes(pd.read_parquet(directory / f"{name}.parquet"), spec)
                continue
            text_columns = {c: "str" for c, k in spec.items() if k in ("id", "str")}
            raw = pd.read_csv(directory / f"{name}.csv", dtype=text_columns, keep_default_na=False,
                              na_values={c: [""] for c in spec})
            tables[name] = apply_dtypes(raw, spec)
        return cls(scenario, tables, meta)
