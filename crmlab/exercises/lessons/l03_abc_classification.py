"""Lesson 03 (ABC客户分类): the exam-style table by hand (:func:`crmlab.cases.classification.abc_exam`), then
ABC on the retail world and its concentration. The answers come from the lesson's source notebook; this
module holds the checks."""
import pandas as pd

from crmlab.classify import abc_classes
from crmlab.exercises import Exercises, Mistake, Question, compare
from crmlab.exercises.reference import namespace
from crmlab.i18n import tr


def _cumulative_share(values: pd.Series) -> pd.Series:
    """Cumulative share of the total, largest first, each customer counted with itself (the exam table's column)."""
    ranked = values.sort_values(ascending=False, kind="stable")
    return ranked.cumsum() / ranked.sum()


def _explain_exam(key) -> str:
    exam = namespace("03")["exam"]
    value, frequency = _cumulative_share(exam["amount"]), _cumulative_share(exam["transactions"])
    return tr(f"its cumulative share is {value[key]:.1%} of the amount and {frequency[key]:.1%} of the transactions",
              f"它的累计占比：交易额 {value[key]:.1%}，交易次数 {frequency[key]:.1%}")


def _explain_retail(key) -> str:
    share = _cumulative_share(namespace("03")["revenue"])
    return tr(f"ranked by revenue, the customers down to and including it hold {share[key]:.2%} of revenue",
              f"按销售额从高到低排序，排到它为止（含它）的客户占销售额的 {share[key]:.2%}")


def _worse(first: pd.Series, second: pd.Series) -> pd.Series:
    return first.where(first >= second, second)


def _better(first: pd.Series, second: pd.Series) -> pd.Series:
    return first.where(first <= second, second)


def _crossing_a(ns) -> list:
    classes = abc_classes(ns["exam"]["amount"], boundary="crossing")
    return sorted(classes.index[classes == "A"])


def _top(values: pd.Series, n: int, largest: bool = True) -> float:
    chosen = values.nlargest(n) if largest else values.nsmallest(n)
    return float(chosen.sum() / values.sum())


EXERCISES = Exercises("03", [
    Question(
        id="03.q1", variable="a_customers", compare=compare.same_items(),
        hints=[("The table ranked is already sorted by amount, largest first, with the cumulative share beside it.",
                "表格 ranked 已按交易额从大到小排好，旁边就是累计占比。"),
               ("The A customers are those whose cum_share is at most 0.80.",
                "A 类客户就是 `cum_share` 不超过 0.80 的客户。"),
               ("ranked.index[ranked['cum_share'] <= 0.80] selects their IDs; wrap it in list(...).",
                "ranked.index[ranked['cum_share'] <= 0.80] 选出他们的编号，再用 list(...) 转成列表。")],
        mistakes=[
            Mistake("crossing customer included", _crossing_a,
                    ("You included the customer that carries the total past 80 %: read the class off the "
                     "cumulative share including the customer itself.",
                     "你把使累计占比越过 80% 的那个客户也算进了 A 类：应按包含该客户自身在内的累计占比来判断。")),
            Mistake("top 20 % of customers", lambda ns: list(ns["ranked"].index[:len(ns["ranked"]) // 5]),
                    ("You took the top 20 % of the customers; A is read off the 80 % share of the amount.",
                     "你取的是前 20% 的客户；A 类应按交易额累计占比 80% 来划分。")),
            Mistake("by transactions", lambda ns: list(abc_classes(ns["exam"]["transactions"]).pipe(
                lambda c: c.index[c == "A"])),
                    ("You ranked by number of transactions; this question ranks by amount (contribution) alone.",
                     "你按交易次数排序了；本题只按交易额（贡献）排序。")),
            Mistake("smallest first", lambda ns: list(_cumulative_share(-ns["exam"]["amount"]).pipe(
                lambda s: s.index[s <= 0.8])),
                    ("You sorted from the smallest amount: ABC sorts from the largest contribution down.",
                     "你按交易额从小到大排序了：ABC 分类要从贡献最大的客户开始排。")),
        ],
    ),
    Question(
        id="03.q2", variable="exam_abc", compare=compare.series_by_key(explain=_explain_exam, what=("class", "客户类别")),
        hints=[("Classify twice: abc_classes(exam['amount']) and abc_classes(exam['transactions']).",
                "分两次分类：abc_classes(exam['amount']) 和 abc_classes(exam['transactions'])。"),
               ("A customer is A only if it is A on both; otherwise it takes the worse of its two classes.",
                "只有两项都是 A 的客户才是 A 类；否则取两个类别中较差的那个。"),
               ("As letters 'A' < 'B' < 'C', so the worse class is the larger letter: "
                "value.where(value >= freq, freq).",
                "作为字母 'A' < 'B' < 'C'，较差的类别就是较大的字母：value.where(value >= freq, freq)。")],
        mistakes=[
            Mistake("contribution only", lambda ns: abc_classes(ns["exam"]["amount"]),
                    ("These are the classes by amount alone; the course's A customer must also trade often.",
                     "这只是按交易额分的类；课程中的 A 类客户还必须交易频繁。")),
            Mistake("frequency only", lambda ns: abc_classes(ns["exam"]["transactions"]),
                    ("These are the classes by number of transactions alone; combine them with the amount.",
                     "这只是按交易次数分的类；还要与交易额结合起来。")),
            Mistake("better of the two", lambda ns: _better(abc_classes(ns["exam"]["amount"]),
                                                             abc_classes(ns["exam"]["transactions"])),
                    ("You kept the better of the two classes; a customer takes the worse one.",
                     "你取了两个类别中较好的那个；应当取较差的那个。")),
        ],
    ),
    Question(
        id="03.q3", variable="abc", compare=compare.series_by_key(explain=_explain_retail, what=("class", "客户类别")),
        hints=[("revenue already holds each customer's contribution: sales.groupby('customer_id')['amount'].sum().",
                "revenue 已经是每位客户的贡献：sales.groupby('customer_id')['amount'].sum()。"),
               ("abc_classes(revenue) uses the default cut-offs 80 % / 95 %.",
                "abc_classes(revenue) 使用默认的 80% / 95% 分界点。")],
        mistakes=[
            Mistake("by number of purchases", lambda ns: abc_classes(ns["sales"].groupby("customer_id").size()),
                    ("You classed customers by number of purchases; the contribution is their revenue.",
                     "你按购买次数分类了；贡献指的是客户带来的销售额。")),
            Mistake("mean basket", lambda ns: abc_classes(ns["sales"].groupby("customer_id")["amount"].mean()),
                    ("You classed customers by their mean purchase; add up their revenue (sum, not mean).",
                     "你按每次平均消费分类了；应当把销售额加总（用 sum，而不是 mean）。")),
            Mistake("crossing customer in A", lambda ns: abc_classes(ns["revenue"], boundary="crossing"),
                    ("The customer whose revenue carries the total past a cut-off belongs to the lower class.",
                     "使累计占比越过分界点的那个客户属于下一类。")),
        ],
    ),
    Question(
        id="03.q4", variable="top20", compare=compare.number(rtol=0, atol=0.002),
        hints=[("Sort revenue from the largest and keep the first 20 % of customers (len(revenue) // 5 of them).",
                "把 revenue 从大到小排序，取前 20% 的客户（共 len(revenue) // 5 个）。"),
               ("Their revenue divided by the total revenue is the share; top_share(revenue, 0.2) does it in one call.",
                "他们的销售额除以总销售额就是占比；top_share(revenue, 0.2) 一步算出。"),
               ("Give a fraction such as 0.61, not 61.", "请写成小数，例如 0.61，而不是 61。")],
        mistakes=[
            Mistake("percentage", lambda ns: 100 * ns["top20"],
                    ("Your answer looks like a percentage: give it as a fraction (80 % → 0.8).",
                     "你的答案像是百分数：请写成小数（80% → 0.8）。")),
            Mistake("bottom 20 %", lambda ns: _top(ns["revenue"], len(ns["revenue"]) // 5, largest=False),
                    ("You took the 20 % of customers with the *smallest* revenue: sort from the largest.",
                     "你取的是销售额*最小*的 20% 客户：应当从大到小排序。")),
            Mistake("share of customers in A", lambda ns: float((ns["abc"] == "A").mean()),
                    ("That is the share of customers in class A; the question asks for the share of revenue of the "
                     "top 20 % of customers.", "这是 A 类客户占客户数的比例；题目问的是前 20% 客户占销售额的比例。")),
            Mistake("top 20 % of purchases", lambda ns: _top(ns["sales"]["amount"], len(ns["sales"]) // 5),
                    ("You took the largest 20 % of single purchases; add up each customer's revenue first.",
                     "你取的是金额最大的 20% 笔交易；应当先按客户把销售额加总。")),
        ],
    ),
])
