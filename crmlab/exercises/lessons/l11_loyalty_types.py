"""Lesson 11 (客户忠诚的类型): place customers on attachment × repeat purchase, Dick & Basu's segments.

The right answers come from ``instructor/11_loyalty_types.ipynb`` run on the student's world; this
module holds what a notebook cannot: comparators, hints, points and the mistakes each check names.
"""
from crmlab.exercises import Exercises, Question, compare
from crmlab.exercises.core import Mistake
from crmlab.exercises.reference import namespace
from crmlab.i18n import tr
from crmlab.loyalty import dick_basu_segment, loyalty_quadrant
from crmlab.loyalty.labels import to_codes


def _codes(comparator):
    """Accept labels written with their Chinese names (信赖忠诚) as well as the codes (trust)."""
    return lambda answer, expected: comparator(to_codes(answer), expected)


def _explain_small(customer) -> str:
    row = namespace("11")["small"].loc[customer]
    return tr(f"{customer} has attachment {row['attachment']} and {row['visits']} visits; only a value above "
              f"the cut counts as high",
              f"{customer} 的依恋程度为 {row['attachment']}，到店 {row['visits']} 次；只有高于分界值才算“高”")


def _explain_segment(customer) -> str:
    people = namespace("11")["people"]
    row = people.loc[customer]
    return tr(f"{customer} has attachment {row['attachment']:g} (median {people['attachment'].median():g}) and "
              f"{row['purchases_per_year']:.1f} purchases a year (median {people['purchases_per_year'].median():.1f})",
              f"{customer} 的依恋程度为 {row['attachment']:g}（中位数 {people['attachment'].median():g}），"
              f"每年购买 {row['purchases_per_year']:.1f} 次（中位数 {people['purchases_per_year'].median():.1f}）")


def _trust_count(people, attachment_cut, repeat_cut) -> int:
    quadrant = loyalty_quadrant(people, "attachment", "purchases_per_year", attachment_cut=attachment_cut,
                                repeat_cut=repeat_cut)
    return int((quadrant["candidate_types"] == "trust").sum())


EXERCISES = Exercises("11", [
    Question(
        id="11.q1", variable="small_types",
        compare=_codes(compare.series_by_key(explain=_explain_small, what=("type", "忠诚类型"))),
        hints=[("Use loyalty_quadrant(small, 'attachment', 'visits', attachment_cut=4, repeat_cut=12).",
                "调用 loyalty_quadrant(small, 'attachment', 'visits', attachment_cut=4, repeat_cut=12)，两个分界值就是题中给的 4 和 12。"),
               ("Keep its 'candidate_types' column; only values *above* a cut count as high.",
                "取其中的 'candidate_types' 列；只有*高于*分界值才算“高”。")],
        mistakes=[
            Mistake("cut counted as high",
                    lambda ns: loyalty_quadrant(ns["small"], "attachment", "visits", attachment_cut=3.999,
                                                repeat_cut=11.999)["candidate_types"],
                    ("A value equal to the cut is not high: 12 visits is not more than 12.",
                     "等于分界值不算“高”：到店 12 次并不多于 12 次。")),
            Mistake("axes swapped",
                    lambda ns: loyalty_quadrant(ns["small"], "visits", "attachment", attachment_cut=12,
                                                repeat_cut=4)["candidate_types"],
                    ("Attachment and visits are swapped: attachment is the attitude axis.",
                     "依恋和到店次数弄反了：依恋是态度那根轴。")),
        ],
    ),
    Question(
        id="11.q2", variable="n_trust", compare=compare.exact(),
        hints=[("loyalty_quadrant(people, 'attachment', 'purchases_per_year') cuts at the medians by default.",
                "loyalty_quadrant(people, 'attachment', 'purchases_per_year') 默认以中位数为分界。"),
               ("Count the rows whose candidate_types is 'trust': (quadrant['candidate_types'] == 'trust').sum().",
                "数一数 candidate_types 为 'trust' 的行：(quadrant['candidate_types'] == 'trust').sum()。")],
        mistakes=[
            Mistake("mean cuts",
                    lambda ns: _trust_count(ns["people"], ns["people"]["attachment"].mean(),
                                            ns["people"]["purchases_per_year"].mean()),
                    ("You cut at the means; the question uses the medians (the default cuts).",
                     "你用了平均值作分界；题目用的是中位数（默认分界）。")),
            Mistake("median counted as high",
                    lambda ns: _trust_count(ns["people"], ns["people"]["attachment"].median() - 1e-9,
                                            ns["people"]["purchases_per_year"].median() - 1e-9),
                    ("A value equal to the median is not high: only values above the cut count.",
                     "等于中位数不算“高”：只有高于分界值的才算。")),
            Mistake("share instead of count",
                    lambda ns: ns["n_trust"] / len(ns["people"]),
                    ("The question asks for a number of respondents, not a share.",
                     "题目问的是人数，不是比例。")),
        ],
    ),
    Question(
        id="11.q3", variable="segments",
        compare=_codes(compare.series_by_key(explain=_explain_segment, what=("segment", "忠诚细分"))),
        hints=[("Attachment is the attitude, purchases_per_year the repeat patronage.",
                "依恋（attachment）是态度，purchases_per_year 是重复光顾。"),
               ("dick_basu_segment(people, 'attachment', 'purchases_per_year') returns one label per customer.",
                "dick_basu_segment(people, 'attachment', 'purchases_per_year') 为每位客户给出一个标签。")],
        mistakes=[
            Mistake("axes swapped",
                    lambda ns: dick_basu_segment(ns["people"], "purchases_per_year", "attachment"),
                    ("Attitude and repeat patronage are swapped: attachment is the attitude.",
                     "态度和重复光顾弄反了：依恋才是态度。")),
            Mistake("intent as attitude",
                    lambda ns: dick_basu_segment(ns["people"], "repurchase_intent", "purchases_per_year"),
                    ("You used repurchase intent as the attitude; the question uses attachment.",
                     "你把再购意向当成了态度；题目用的是依恋程度。")),
        ],
    ),
    Question(
        id="11.q4", variable="spurious_share", compare=compare.number(rtol=1e-9),
        hints=[("Spurious loyalty (虚假忠诚): low attitude, high repeat purchase.",
                "虚假忠诚（spurious loyalty）：态度低，重复购买高。"),
               ("(segments == 'spurious').mean() — recompute segments with dick_basu_segment if you need to.",
                "(segments == 'spurious').mean()——如有需要，用 dick_basu_segment 重新算出 segments。")],
        mistakes=[
            Mistake("latent instead of spurious",
                    lambda ns: (ns["segments"] == "latent").mean(),
                    ("That is the share of latent loyalty (high attitude, low repeat); spurious loyalty is "
                     "the opposite corner.",
                     "这是潜在忠诚（态度高、重复购买低）的比例；虚假忠诚在相反的一角。")),
            Mistake("count instead of share",
                    lambda ns: (ns["segments"] == "spurious").sum(),
                    ("That is a number of respondents; the question asks for a share (a fraction of all respondents).",
                     "这是人数；题目问的是占全部受访者的比例（小数）。")),
            Mistake("true loyalty",
                    lambda ns: (ns["segments"] == "true").mean(),
                    ("That is the share of true loyalty (high attitude and high repeat).",
                     "这是真正忠诚（态度高、重复购买也高）的比例。")),
        ],
    ),
])
