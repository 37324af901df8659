"""Lesson 03 (ABC客户分类): the exam-style table by hand, then ABC on the retail world and its concentration."""
import pandas as pd

from crmlab import datasets
from crmlab.classify import abc_classes, top_share
from crmlab.exercises import Exercises, Question, compare
from crmlab.i18n import tr

# The exam-style task (after 湖南省高职电子商务技能抽考 3-1-1, 客户分类管理): ten member companies of a
# logistics information platform, one year. amount = transaction value (thousand yuan, 交易额),
# transactions = number of transactions (交易次数), interval_days = mean days between them (交易间隔).
EXAM = pd.DataFrame({
    "amount": [30, 120, 6, 60, 15, 90, 4, 40, 25, 10],
    "transactions": [10, 22, 2, 5, 3, 26, 1, 17, 8, 6],
    "interval_days": [36, 16, 180, 72, 120, 14, 360, 21, 45, 60],
}, index=pd.Index([f"K{i:02d}" for i in range(1, 11)], name="customer"))


def _cumulative_share(values: pd.Series) -> pd.Series:
    """Cumulative share of the total, largest first, each customer counted with itself (the exam table's column)."""
    ranked = values.sort_values(ascending=False, kind="stable")
    return ranked.cumsum() / ranked.sum()


def _exam_a_customers() -> list[str]:
    # By hand, amounts sorted from the largest (total 400):
    #   K02 120 → 120/400 = 30.0 %   K06 90 → 210/400 = 52.5 %   K04 60 → 270/400 = 67.5 %
    #   K08 40 → 310/400 = 77.5 %    K01 30 → 340/400 = 85.0 %   K09 25 → 365/400 = 91.25 % …
    # A = cumulative share ≤ 80 %: K02, K06, K04, K08 (K01 carries the total past 80 %, so it is B).
    share = _cumulative_share(EXAM["amount"])
    return sorted(share.index[share <= 0.8 + 1e-9])


def _exam_abc() -> pd.Series:
    # Contribution classes (above): A K02 K06 K04 K08 · B K01 K09 K05 (95.0 %) · C K10 K03 K07.
    # Transactions sorted (total 100): K06 26 → 26 %, K02 22 → 48 %, K08 17 → 65 %, K01 10 → 75 % (A);
    #   K09 8 → 83 %, K10 6 → 89 %, K04 5 → 94 % (B); K05 3 → 97 %, K03 2 → 99 %, K07 1 → 100 % (C).
    # A customer is A only when A on both; otherwise the worse of its two classes:
    #   K02 A/A → A, K06 A/A → A, K08 A/A → A, K04 A/B → B, K01 B/A → B, K09 B/B → B,
    #   K05 B/C → C, K10 C/B → C, K03 C/C → C, K07 C/C → C.
    value = abc_classes(EXAM["amount"])
    frequency = abc_classes(EXAM["transactions"])
    return value.where(value >= frequency, frequency).rename("abc")


def _explain_exam(key) -> str:
    value, frequency = _cumulative_share(EXAM["amount"]), _cumulative_share(EXAM["transactions"])
    return tr(f"its cumulative share is {value[key]:.1%} of the amount and {frequency[key]:.1%} of the transactions",
              f"它的累计占比：交易额 {value[key]:.1%}，交易次数 {frequency[key]:.1%}")


def _revenue() -> pd.Series:
    sales = datasets.load("retail")["transactions"]
    return sales.groupby("customer_id")["amount"].sum()


def _retail_abc() -> pd.Series:
    return abc_classes(_revenue())


def _explain_retail(key) -> str:
    share = _cumulative_share(_revenue())
    return tr(f"ranked by revenue, the customers down to and including it hold {share[key]:.2%} of revenue",
              f"按销售额排序，到它为止（含它）的客户占销售额的 {share[key]:.2%}")


def _top20() -> float:
    return top_share(_revenue(), 0.2)


EXERCISES = Exercises("03", [
    Question(
        id="03.q1", variable="a_customers", legacy_expected=_exam_a_customers, compare=compare.same_items(),
        hints=["The table ranked is already sorted by amount, largest first, with the cumulative share beside it.",
               "The A customers are those whose cum_share is at most 0.80.",
               "ranked.index[ranked['cum_share'] <= 0.80] selects their IDs; wrap it in list(...)."],
        legacy_solution='a_customers = list(ranked.index[ranked["cum_share"] <= 0.80])',
    ),
    Question(
        id="03.q2", variable="exam_abc", legacy_expected=_exam_abc,
        compare=compare.series_by_key(explain=_explain_exam, what="class"),
        hints=["Classify twice: abc_classes(exam['amount']) and abc_classes(exam['transactions']).",
               "A customer is A only if it is A on both; otherwise it takes the worse of its two classes.",
               "As letters 'A' < 'B' < 'C', so the worse class is the larger letter: "
               "value.where(value >= freq, freq)."],
        legacy_solution=('value = abc_classes(exam["amount"])\n'
                       'freq = abc_classes(exam["transactions"])\n'
                       'exam_abc = value.where(value >= freq, freq)'),
    ),
    Question(
        id="03.q3", variable="abc", legacy_expected=_retail_abc,
        compare=compare.series_by_key(explain=_explain_retail, what="class"),
        hints=["revenue already holds each customer's contribution: sales.groupby('customer_id')['amount'].sum().",
               "abc_classes(revenue) uses the default cut-offs 80 % / 95 %."],
        legacy_solution='abc = abc_classes(revenue)',
    ),
    Question(
        id="03.q4", variable="top20", legacy_expected=_top20, compare=compare.number(rtol=0, atol=0.002),
        hints=["Sort revenue from the largest and keep the first 20 % of customers (len(revenue) // 5 of them).",
               "Their revenue divided by the total revenue is the share; top_share(revenue, 0.2) does it in one call.",
               "Give a fraction such as 0.61, not 61."],
        legacy_solution='top20 = top_share(revenue, 0.2)',
    ),
])
