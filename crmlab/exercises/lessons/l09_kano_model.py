"""Lesson 09 (卡诺模型): one answer pair, the category per feature, Better/Worse, what to build first.

The right answers come from the lesson's source notebook (instructor/09_kano_model.ipynb); the survey is
:func:`crmlab.cases.satisfaction.kano_supermarket` (the student's own sample; its true categories stay
in the generator until the lesson shows them after question 2).
"""
import pandas as pd

from crmlab.exercises import Exercises, Mistake, Question, compare
from crmlab.exercises.reference import namespace
from crmlab.i18n import tr
from crmlab.satisfaction import EVALUATION_TABLE, kano_counts, kano_table
from crmlab.satisfaction.labels import name


def _explain_category(key) -> str:
    row = namespace("09")["counts"].loc[key]
    return tr(f"its counts are A={row['A']}, O={row['O']}, M={row['M']}, I={row['I']}",
              f"{name(key)}的计数为 A={row['A']}，O={row['O']}，M={row['M']}，I={row['I']}")


def _counts(ns: dict) -> pd.DataFrame:
    return kano_counts(ns["functional"], ns["dysfunctional"])


def _with_rq(ns: dict) -> pd.DataFrame:
    """Better and Worse with R and Q answers kept in the denominator."""
    c = _counts(ns)
    return pd.DataFrame({"better": (c["A"] + c["O"]) / c["n"], "worse": -(c["O"] + c["M"]) / c["n"]})


def _tied_best(ns: dict) -> list[str]:
    """Every A feature with the highest Better: on a student's own sample two can tie."""
    better = ns["counts"].loc[ns["counts"]["category"] == "A", "better"]
    return [str(f) for f in better.index[better == better.max()]]


EXERCISES = Exercises("09", [
    Question(
        id="09.q1", variable="pair_category", compare=compare.exact(),
        hints=[("Row = the answer to the functional question, column = the answer to the dysfunctional one.",
                "行是正向问题（具备时）的回答，列是反向问题（不具备时）的回答。"),
               ("EVALUATION_TABLE.loc['like', 'live-with'] reads the cell; kano_category('like', 'live-with') too.",
                "用 EVALUATION_TABLE.loc['like', 'live-with'] 查表，或者调用 kano_category('like', 'live-with')。")],
        mistakes=[
            Mistake("rows and columns swapped", lambda ns: str(EVALUATION_TABLE.loc["live-with", "like"]),
                    ("You read the table with rows and columns swapped: the row is the answer to the functional "
                     "question (with the feature), the column the dysfunctional one.",
                     "你把行和列读反了：行是正向问题（具备时）的回答，列是反向问题（不具备时）的回答。")),
            Mistake("live-with read as dislike", lambda ns: str(EVALUATION_TABLE.loc["like", "dislike"]),
                    ("'I can live with it' is not 'I dislike it': look up the live-with column.",
                     "“能忍受”不等于“我不喜欢”：请查“能忍受”（`live-with`）那一列。")),
            Mistake("live-with read as neutral", lambda ns: "I",
                    ("Liking the feature when present makes this pair attractive or one-dimensional, not indifferent.",
                     "具备时回答“我喜欢”，这一对就不会是无差异质量：请再查一次表。")),
        ],
    ),
    Question(
        id="09.q2", variable="categories",
        compare=compare.series_by_key(explain=_explain_category, what=("category", "类别")),
        hints=[("kano_counts(functional, dysfunctional) counts A, O, M, I, R, Q for every feature.",
                "kano_counts(functional, dysfunctional) 统计每项功能的 A、O、M、I、R、Q 各有多少。"),
               ("Its 'category' column is the most frequent category (ties: M > O > A > I).",
                "其中的 'category' 列就是出现次数最多的类别（平局时 M > O > A > I）。")],
        mistakes=[
            Mistake("one shopper", lambda ns: kano_table(ns["functional"], ns["dysfunctional"]).iloc[0],
                    ("Those are the first shopper's categories; a feature's category is the most frequent one over "
                     "all shoppers.",
                     "这是第一位顾客的类别；一项功能的类别要看全体顾客中出现次数最多的那个。")),
            Mistake("questions swapped", lambda ns: kano_counts(ns["dysfunctional"], ns["functional"])["category"],
                    ("You passed the dysfunctional answers first: kano_counts(functional, dysfunctional).",
                     "你把反向问题的回答放在了前面：应为 `kano_counts(functional, dysfunctional)`。")),
        ],
    ),
    Question(
        id="09.q3", variable="coefficients",
        compare=compare.frame_by_key(columns=["better", "worse"], rtol=1e-6),
        hints=[("Better = (A + O) / (A + O + M + I); Worse = −(O + M) / (A + O + M + I).",
                "满意系数 Better = (A + O) / (A + O + M + I)；不满意系数 Worse = −(O + M) / (A + O + M + I)。"),
               ("R and Q answers are left out of the denominator; Worse is negative.",
                "分母不计 R 和 Q 的回答；Worse 是负数。"),
               ("kano_counts already has both columns: keep ['better', 'worse'].",
                "kano_counts 已经算好了这两列：保留 ['better', 'worse'] 即可。")],
        mistakes=[
            Mistake("Worse without its sign", lambda ns: ns["coefficients"].assign(worse=ns["coefficients"]["worse"].abs()),
                    ("Your Worse is positive: Worse carries a minus sign, from −1 to 0 (−(O + M) / (A + O + M + I)).",
                     "你的 Worse 是正数：不满意系数带负号，取值在 −1 到 0 之间（−(O + M) / (A + O + M + I)）。")),
            Mistake("R and Q counted", _with_rq,
                    ("You kept the R and Q answers in the denominator; it is A + O + M + I only.",
                     "你把 R 和 Q 的回答也算进了分母；分母只有 A + O + M + I。")),
            Mistake("columns swapped", lambda ns: ns["coefficients"].rename(columns={"better": "worse", "worse": "better"})
                    .assign(worse=lambda t: -t["worse"].abs(), better=lambda t: t["better"].abs()),
                    ("Your better and worse columns are swapped: Better counts A + O, Worse counts O + M.",
                     "你的 `better` 和 `worse` 两列对调了：Better 看 A + O，Worse 看 O + M。")),
            Mistake("percentages", lambda ns: 100 * ns["coefficients"],
                    ("Your coefficients are percentages; give them as fractions (Better between 0 and 1).",
                     "你给的是百分数；系数要写成小数（Better 在 0 到 1 之间）。")),
        ],
    ),
    Question(
        id="09.q4", variable="build_first", compare=compare.one_of(), reference=_tied_best,
        hints=[("Only attractive (A) features delight; must-be ones are already in place.",
                "只有魅力质量（A）能带来惊喜；必备质量已经做到了。"),
               ("Among the A features, the one with the highest Better raises satisfaction most.",
                "在 A 类功能中，Better 最高的那一项最能提高满意度。")],
        mistakes=[
            Mistake("any category", lambda ns: [ns["counts"]["better"].idxmax()],
                    ("That feature has the highest Better of all, but it is not an attractive (A) feature.",
                     "这项功能的 Better 在全部功能中最高，但它不是魅力质量（A 类）。")),
            Mistake("smallest Worse", lambda ns: [ns["counts"].loc[ns["counts"]["category"] == "A", "worse"].idxmin()],
                    ("You ranked the A features by Worse; the feature that raises satisfaction most has the highest "
                     "Better.",
                     "你按 Worse 给 A 类功能排序；最能提高满意度的是 Better 最高的那一项。")),
            Mistake("must-be", lambda ns: [ns["counts"].loc[ns["counts"]["category"] == "M", "worse"].idxmin()],
                    ("That is a must-be feature: already in place, it cannot delight; build an attractive (A) one.",
                     "这是必备质量：已经具备，也带不来惊喜；应当新建一项魅力质量（A 类）功能。")),
        ],
    ),
])
