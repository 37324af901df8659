"""Customer categories (客户类型) and relationship types (客户关系类型), placed by a rule table.

The rules are data (``data/category_rules.csv``), read top to bottom, first match wins: each
row names allowed values of account attributes (``*`` = any, ``a|b`` = a or b) and the
category they imply. A course or a company with other conventions passes its own table.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import CrmlabInputError, require_bool, require_frame, require_labels

CATEGORIES = ("consumer", "business", "channel", "government", "service", "internal")
RELATIONSHIPS = ("buyer_seller", "preferred_supplier", "partner", "strategic_alliance")
_RULE_OUTPUT = ("category", "reason", "reason_zh")
_ANY = "*"
# Values the default rules know for a text attribute; any other value would fall through to a
# catch-all rule and be placed silently wrong, so it is refused. (industry is open-ended: unknown
# industries are businesses by design.)
KNOWN_VALUES = {"buys_for": ("own_use", "resale", "public_project", "production")}
_BOOLEAN_WORDS = {"true", "false"}


@lru_cache(maxsize=None)
def _read(name: str) -> pd.DataFrame:
    with resources.files("crmlab.classify").joinpath(f"data/{name}").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype="str", keep_default_na=False)


def customer_categories() -> pd.DataFrame:
    """The six customer categories with English and Chinese names and descriptions."""
    return _read("categories.csv").set_index("category")


def relationship_types() -> pd.DataFrame:
    """The four relationship types (买卖关系 … 战略联盟关系), ordered from loosest to closest."""
    table = _read("relationship_types.csv").set_index("relationship")
    return table.assign(closeness=table["closeness"].astype(np.int64))


def default_category_rules() -> pd.DataFrame:
    """The default rule table: attribute columns, then ``category``, ``reason``, ``reason_zh``."""
    return _read("category_rules.csv").copy()


def steel_exercise() -> pd.DataFrame:
    """The course's exercise: six customers of a steel company, with their attributes (no answers)."""
    table = _read("steel_exercise.csv").set_index("account_id")
    return table.assign(same_group=table["same_group"] == "true")


def _normalise(column: pd.Series, name: str, boolean: bool) -> pd.Series:
    # Compare every attribute as lower-case text. A yes/no attribute may arrive as True, 1 (a store's
    # 0/1 column), "yes" or "是": read it with the shared boolean check, so it becomes "true"/"false".
    if boolean:
        return require_bool(column, name).map({True: "true", False: "false"}).astype("str")
    return column.astype("str").str.strip().str.lower()


def customer_category(accounts: pd.DataFrame, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Place each account in a customer category (客户类型) with the rule table.

    Parameters
    ----------
    accounts : one row per account, indexed by account, with the attribute columns the rules
        use; the default rules use ``same_group`` (bool: part of the seller's own group),
        ``buys_for`` (own_use / resale / public_project / production) and ``industry``
        (e.g. individual, government, healthcare, real_estate …), as in the ``b2b`` world.
    rules : rule table, see :func:`default_category_rules`; first matching row wins.

    Returns
    -------
    DataFrame indexed like ``accounts`` with ``category``, ``category_zh``, ``reason`` and
    ``reason_zh`` (why the rule placed it there).

    References
    ----------
    The course's lecture plan, ch. 1 (客户范畴包括消费者客户、企业客户、中间商客户、政府客户、
    服务型客户、内部客户) and its steel-company exercise.
    """
    table = default_category_rules() if rules is None else rules
    require_frame(table, "rules", _RULE_OUTPUT[:1])
    attributes = [c for c in table.columns if c not in _RULE_OUTPUT]
    conditions = table[attributes].astype("str").apply(lambda col: col.str.strip().str.lower())
    used = [c for c in attributes if (conditions[c] != _ANY).any()]
    require_frame(accounts, "accounts", used)
    unknown = sorted(set(table["category"]) - set(CATEGORIES))
    if unknown:
        raise CrmlabInputError(tr(
            f"rules has unknown categor(ies) {unknown}; allowed are {list(CATEGORIES)}.",
            f"rules 含有未知的客户类型 {unknown}；允许的取值为 {list(CATEGORIES)}。",
        ))
    for column in used:
        if accounts[column].isna().any():
            where = list(accounts.index[accounts[column].isna()][:3])
            raise CrmlabInputError(tr(
                f"accounts[{column!r}] is missing for account(s) {where!r}; the rules need it to place them. "
                "Fill it in (ask the sales rep) before classifying.",
                f"accounts[{column!r}] 在客户 {where!r} 处缺失，规则需要它来分类。请先补全（可询问销售代表）。",
            ))
    boolean = {c for c in used if set(conditions[c][conditions[c] != _ANY].str.split("|").explode()) <= _BOOLEAN_WORDS}
    values = {column: _normalise(accounts[column], f"accounts[{column!r}]", column in boolean) for column in used}
    if rules is None:
        for column, known in KNOWN_VALUES.items():
            if column in values:
                require_labels(values[column].rename(column), f"accounts[{column!r}]", known)
    placed = np.full(len(accounts), -1)
    for number, condition in enumerate(conditions.itertuples(index=False)):  # a few rules, not rows
        match = placed == -1
        for column, allowed in zip(attributes, condition):
            if column in values and allowed != _ANY:
                match &= values[column].isin(allowed.split("|")).to_numpy()
        placed[match] = number
    if (placed == -1).any():
        where = list(accounts.index[placed == -1][:3])
        raise CrmlabInputError(tr(
            f"No rule places account(s) {where!r}; add a rule for them or a last catch-all row of '*'.",
            f"没有规则能为客户 {where!r} 分类；请为它们添加规则，或在最后加一行全为 '*' 的兜底规则。",
        ))
    chosen = table.iloc[placed]
    names = customer_categories()["name_zh"]
    reason = chosen["reason"] if "reason" in chosen.columns else chosen["category"]
    reason_zh = chosen["reason_zh"] if "reason_zh" in chosen.columns else reason
    return pd.DataFrame({
        "category": chosen["category"].to_numpy(),
        "category_zh": names.reindex(chosen["category"]).to_numpy(),
        "reason": reason.to_numpy(),
        "reason_zh": reason_zh.to_numpy(),
    }, index=accounts.index).astype("str")
