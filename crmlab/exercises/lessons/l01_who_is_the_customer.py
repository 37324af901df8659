"""Lesson 01 (客户的概念与类型): the steel-company exercise, then the steel supplier's accounts by
customer category (客户类型) and relationship type (客户关系类型)."""
import pandas as pd

from crmlab import datasets
from crmlab.classify import customer_category, steel_exercise
from crmlab.exercises import Exercises, Question, compare
from crmlab.i18n import tr

CLOSE = ("partner", "strategic_alliance")


def _steel() -> pd.Series:
    # The course's answers, rule by rule (first matching rule of the default table wins):
    #   S1 farmer, own house          → a private person buying for own use     → consumer
    #   S2 car plant of the same group → part of the seller's own group          → internal
    #   S3 property developer          → a company buying for its own production → business
    #   S4 government agency, a road   → public body, public project             → government
    #   S5 hospital, a ward            → an organisation that produces services  → service
    #   S6 distributor, wholesale      → buys to sell on                         → channel
    return customer_category(steel_exercise())["category"]


def _explain_steel(key) -> str:
    case = steel_exercise().loc[key]
    return tr(f"that customer buys for '{case['buys_for']}', is in the seller's group: {bool(case['same_group'])}, "
              f"industry '{case['industry']}'",
              f"该客户的购买用途为“{case['buys_for']}”，是否属于卖方集团：{bool(case['same_group'])}，行业“{case['industry']}”")


def _accounts() -> pd.DataFrame:
    return datasets.load("b2b")["accounts"].set_index("account_id")


def _category_counts() -> pd.Series:
    return customer_category(_accounts())["category"].value_counts()


def _top_category() -> str:
    world = datasets.load("b2b")
    lines = world["order_lines"].merge(world["orders"][["order_id", "account_id"]], on="order_id")
    revenue = (lines["quantity"] * lines["unit_price"]).groupby(lines["account_id"]).sum()
    category = customer_category(_accounts())["category"]
    return str(revenue.groupby(category.reindex(revenue.index)).sum().idxmax())


def _closest_category() -> str:
    accounts = _accounts()
    category = customer_category(accounts)["category"]
    return str(accounts["relationship"].isin(CLOSE).groupby(category).mean().idxmax())


EXERCISES = Exercises("01", [
    Question(
        id="01.q1", variable="steel_answers", legacy_expected=_steel,
        compare=compare.series_by_key(explain=_explain_steel, what="category"),
        hints=["Ask three questions in order: is the buyer part of the seller's own group? Does it buy to sell on? "
               "Who is it (a person, a government body, a service organisation, a company)?",
               "Write the categories as a Series indexed S1 … S6 with the labels consumer, business, channel, "
               "government, service, internal.",
               "customer_category(steel) applies the course's rules; compare its 'category' column with yours."],
        legacy_solution=('steel_answers = pd.Series({"S1": "consumer", "S2": "internal", "S3": "business",\n'
                       '                           "S4": "government", "S5": "service", "S6": "channel"})'),
    ),
    Question(
        id="01.q2", variable="category_counts", legacy_expected=_category_counts,
        compare=compare.series_by_key(what="count"),
        hints=["categories = customer_category(accounts) placed every account; its 'category' column holds the labels.",
               "value_counts() counts the accounts per label."],
        legacy_solution='category_counts = categories["category"].value_counts()',
    ),
    Question(
        id="01.q3", variable="top_category", legacy_expected=_top_category, compare=compare.exact(),
        hints=["revenue is indexed by account_id; categories['category'] too.",
               "revenue.groupby(categories['category']).sum() adds up the revenue per category.",
               ".idxmax() gives the label with the largest sum."],
        legacy_solution='top_category = revenue.groupby(categories["category"]).sum().idxmax()',
    ),
    Question(
        id="01.q4", variable="closest_category", legacy_expected=_closest_category, compare=compare.exact(),
        hints=["accounts['relationship'].isin(['partner', 'strategic_alliance']) marks the close relationships.",
               "Group that True/False Series by category and take the mean: the share of close relationships.",
               ".idxmax() names the category with the highest share."],
        legacy_solution=('close = accounts["relationship"].isin(["partner", "strategic_alliance"])\n'
                       'closest_category = close.groupby(categories["category"]).mean().idxmax()'),
    ),
])
