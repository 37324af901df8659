"""Lesson 04 (RFM客户细分): the tie problem by hand (:func:`crmlab.cases.classification.rfm_ties`), RFM scores
and segments on the retail world, and whether the segments find the customers the world's truth says are
most valuable. The answers come from the lesson's source notebook; this module holds the checks."""
from crmlab.classify import quantile_score, rfm_scores
from crmlab.exercises import Exercises, Mistake, Question, compare

WIN_BACK = ["At risk", "Can't lose them"]
BEST = ["Champions", "Loyal"]


def _rfm(ns, **options):
    """The RFM table the way a student computes it, with one option changed."""
    at = options.pop("at", ns["retail"].meta["analysis_date"])
    return rfm_scores(ns["sales"], "customer_id", "date", "amount", at=at, **options)


def _share(ns, mask, column="monetary"):
    return float(ns["scores"].loc[mask, column].sum() / ns["scores"][column].sum())


def _top(ns):
    return ns["true_value"].nlargest(len(ns["true_value"]) // 5).index


EXERCISES = Exercises("04", [
    Question(
        id="04.q1", variable="f_one_time", compare=compare.exact(),
        hints=[("Rank the ten values from the smallest. The five 1s take ranks 1 to 5; 'average' gives each "
                "the mean of those ranks.",
                "把十个数从小到大排名次。五个 1 占第 1 到第 5 名；'average' 规则让它们都取这几个名次的平均值。"),
               ("Score = 1 + ⌊5 · (rank − 1) / 10⌋, with the rank you found.",
                "得分 = 1 + ⌊5 ·（名次 − 1）/ 10⌋，名次用你刚才算出的那个。"),
               ("Or run quantile_score(small['frequency'], ties='average') and read a one-time buyer's score.",
                "也可以运行 quantile_score(small['frequency'], ties='average')，读出只买过一次的客户的得分。")],
        mistakes=[
            Mistake("bottom rank", lambda ns: int(quantile_score(ns["small"]["frequency"], ties="min")["P01"]),
                    ("That is the score of the block's bottom rank (ties='min'); the default 'average' uses its "
                     "mid-rank.", "这是按并列组最低名次得到的分数（ties='min'）；默认的 'average' 用的是平均名次。")),
            Mistake("mid-rank as score", lambda ns: 3,
                    ("3 is the mid-rank itself; put it into the formula to get the score.",
                     "3 是平均名次本身；还要把它代入公式才能得到分数。")),
        ],
    ),
    Question(
        id="04.q2", variable="rfm", compare=compare.frame_by_key(),
        hints=[("rfm_scores needs the transaction table, the names of its customer, date and amount columns, "
                "and the analysis date.",
                "rfm_scores 需要交易表、表中客户、日期和金额三列的列名，以及分析日期。"),
               ("The analysis date is retail.meta['analysis_date'], the day after the last observed day.",
                "分析日期是 retail.meta['analysis_date']，即数据最后一天的后一天。")],
        mistakes=[
            Mistake("last day as analysis date", lambda ns: _rfm(ns, at=ns["sales"]["date"].max()),
                    ("Your recency is counted from the last day of data; the analysis date is the day after it "
                     "(retail.meta['analysis_date']).",
                     "你的最近一次消费天数是从数据最后一天算起的；分析日期应是它的后一天"
                     "（retail.meta['analysis_date']）。")),
            Mistake("recency not reversed", lambda ns: ns["rfm"].assign(R=quantile_score(ns["rfm"]["recency"])),
                    ("Your recency is not reversed: a recent customer should get R = 5.",
                     "你的最近一次消费（R）没有反向打分：最近来过的客户应当得 R = 5。")),
            Mistake("recency negated", lambda ns: ns["rfm"].assign(recency=-ns["rfm"]["recency"]),
                    ("Your recency is negative: it is the number of days since the last purchase.",
                     "你的 recency 是负数：它应当是距最后一次购买的天数。")),
            Mistake("mean spend", lambda ns: _rfm(ns, monetary="mean"),
                    ("Your monetary value is the mean per purchase; the question uses total spend.",
                     "你的消费金额（M）是每次购买的平均值；本题用的是消费总额。")),
            Mistake("row-order ties", lambda ns: _rfm(ns, ties="first"),
                    ("Your scores break ties by row order (rank(method='first') or ties='first'); use the default.",
                     "你的分数按行顺序打破并列（rank(method='first') 或 ties='first'）；请使用默认规则。")),
            Mistake("purchase days", lambda ns: _rfm(ns, frequency_unit="day"),
                    ("Your frequency counts purchase days; the question counts every transaction.",
                     "你的消费频率按购买天数计算；本题按每一笔交易计算。")),
        ],
    ),
    Question(
        id="04.q3", variable="win_back_share", compare=compare.number(rtol=1e-6),
        hints=[("segments['segment'].isin(['At risk', \"Can't lose them\"]) marks the customers of the two segments.",
                "segments['segment'].isin(['At risk', \"Can't lose them\"]) 标出这两个细分的客户。"),
               ("Add up their monetary value (in scores) and divide by the total monetary value.",
                "把他们的 monetary（在 scores 中）加总，再除以全部客户的 monetary 之和。"),
               ("Give a fraction such as 0.25, not 25.", "请写成小数，例如 0.25，而不是 25。")],
        mistakes=[
            Mistake("share of customers", lambda ns: float(ns["win_back"].mean()),
                    ("That is the share of customers in the two segments; the question asks for their share of "
                     "revenue.", "这是两个细分的客户数占比；题目问的是他们的收入占比。")),
            Mistake("percentage", lambda ns: 100 * ns["win_back_share"],
                    ("Your answer looks like a percentage: give it as a fraction (80 % → 0.8).",
                     "你的答案像是百分数：请写成小数（80% → 0.8）。")),
            Mistake("one segment only", lambda ns: _share(ns, ns["segments"]["segment"] == "At risk"),
                    ("You counted only 'At risk'; add the customers of \"Can't lose them\".",
                     "你只算了“有流失风险的客户”（At risk），还要加上“不能失去的客户”（Can't lose them）。")),
            Mistake("the others", lambda ns: 1 - ns["win_back_share"],
                    ("That is the share of everyone else; take the two win-back segments.",
                     "这是其余客户的占比；应当取两个挽回细分的客户。")),
        ],
    ),
    Question(
        id="04.q4", variable="found_share", compare=compare.number(rtol=0, atol=1e-9),
        hints=[("top = true_value.nlargest(len(true_value) // 5).index: the 20 % most valuable customers by the truth.",
                "top = true_value.nlargest(len(true_value) // 5).index：按真实价值排在前 20% 的客户。"),
               ("segments.loc[top, 'segment'] gives their RFM segments; .isin(['Champions', 'Loyal']) marks the hits.",
                "segments.loc[top, 'segment'] 给出他们的 RFM 细分；.isin(['Champions', 'Loyal']) 标出被找到的客户。"),
               ("The mean of a True/False Series is the share of True.", "True/False 序列的均值就是 True 的比例。")],
        mistakes=[
            Mistake("Champions only", lambda ns: float(ns["segments"].loc[_top(ns), "segment"].eq("Champions").mean()),
                    ("You counted only Champions; Loyal customers count as found too.",
                     "你只算了冠军客户（Champions），忠诚客户（Loyal）也算找到了。")),
            Mistake("precision not recall", lambda ns: float(
                ns["segments"]["segment"].isin(BEST).pipe(lambda best: best.index[best]).isin(_top(ns)).mean()),
                    ("That is the share of Champions and Loyal customers who are in the top 20 %; the question asks "
                     "the other way round: what share of the top 20 % RFM finds.",
                     "这是冠军和忠诚客户中属于前 20% 的比例；题目问的是反过来：前 20% 的客户中有多大比例被 RFM 找到。")),
            Mistake("top by past spend", lambda ns: float(ns["segments"].loc[
                ns["scores"]["monetary"].nlargest(len(ns["scores"]) // 5).index, "segment"].isin(BEST).mean()),
                    ("You took the top 20 % by past spend; the question ranks customers by true_value.",
                     "你按过去的消费金额取了前 20%；题目要求按真实价值 true_value 排序。")),
            Mistake("percentage", lambda ns: 100 * ns["found_share"],
                    ("Your answer looks like a percentage: give it as a fraction (80 % → 0.8).",
                     "你的答案像是百分数：请写成小数（80% → 0.8）。")),
        ],
    ),
])
