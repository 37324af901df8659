"""Lesson 14 (客户忠诚的价值): the Mrs Smith and exam cases, P(alive) from BG/NBD, who is worth the most.

The right answers come from ``instructor/14_loyal_customer_value.ipynb`` run on the student's world; this
module holds what a notebook cannot: comparators, hints, points and the mistakes each check names.
"""
from crmlab.exercises import Exercises, Question, compare
from crmlab.exercises.core import Mistake
from crmlab.exercises.reference import namespace
from crmlab.i18n import tr
from crmlab.loyalty import dynamic_customer_value, mrs_smith_loss

TOP_N = 20


def _explain_alive(customer) -> str:
    row = namespace("14")["summary"].loc[customer]
    return tr(f"{customer} made {int(row['frequency'])} repeat purchase(s), the last at week "
              f"{row['recency']:.1f} of {row['T']:.1f}",
              f"{customer} 重复购买 {int(row['frequency'])} 次，最后一次在第 {row['recency']:.1f} 周（共 {row['T']:.1f} 周）")


def _clv(ns, **kwargs):
    s = ns["summary"]
    return ns["spend"].clv(ns["model"], s["frequency"], s["recency"], s["T"], s["monetary_value"], **kwargs)


def _smith(**kwargs) -> float:
    return float(mrs_smith_loss(told=20, **kwargs).loc["total_loss", "value"])


EXERCISES = Exercises("14", [
    Question(
        id="14.q1", variable="smith_loss_20", compare=compare.number(rtol=1e-9),
        hints=[("Only the number of people she tells changes: mrs_smith_loss(told=20).",
                "只有她告诉的人数变了：mrs_smith_loss(told=20)。"),
               ("The answer is the row 'total_loss', column 'value': .loc['total_loss', 'value'].",
                "答案在 'total_loss' 这一行、'value' 这一列：.loc['total_loss', 'value']。"),
               ("By hand: 26,000 of her own + (10 + 50) × 0.25 = 15 lost customers × 26,000.",
                "手算：她自己的 26,000，加上 (10 + 50) × 0.25 = 15 位流失的顾客 × 26,000。")],
        mistakes=[
            Mistake("her own spending only", lambda ns: 50 * 52 * 10,
                    ("That is only her own spending: add what her word of mouth costs.",
                     "这只是她自己的消费额：还要加上口碑造成的损失。")),
            Mistake("ten listeners", lambda ns: float(mrs_smith_loss().loc["total_loss", "value"]),
                    ("That is the loss with 10 listeners; the question asks about 20.",
                     "这是她告诉 10 个人时的损失；题目问的是 20 个人。")),
            Mistake("word of mouth only",
                    lambda ns: float(mrs_smith_loss(told=20).loc["word_of_mouth_loss", "value"]),
                    ("That is the word-of-mouth loss alone: her own spending is lost too.",
                     "这只是口碑造成的损失：她自己的消费也一并失去了。")),
            Mistake("second circle only", lambda ns: _smith(count_first_circle=False),
                    ("You counted only the people told by the people she influenced; the case counts both circles.",
                     "你只算了受她影响的人再去影响的那些人；本案例两圈人都要算。")),
        ],
    ),
    Question(
        id="14.q2", variable="swing", compare=compare.number(rtol=1e-9),
        hints=[("dynamic_customer_value() gives total_value for the satisfied and the unhappy customer.",
                "dynamic_customer_value() 给出满意客户和不满意客户各自的 total_value（总价值）。"),
               ("The swing is satisfied minus unhappy; the unhappy total is negative, so the gap is larger "
                "than either number.",
                "差距 = 满意客户的总价值 − 不满意客户的总价值；后者是负数，所以差距比两个数都大。")],
        mistakes=[
            Mistake("own value counted twice",
                    lambda ns: float(dynamic_customer_value().pipe(
                        lambda t: t.loc["satisfied", "total_value"] + t.loc["unhappy", "lifetime_value"]
                        - t.loc["unhappy", "word_of_mouth_value"])),
                    ("You counted her own 26,000 twice: a loss measured against keeping her minus a value measured "
                     "against not having her. Use total_value of both rows; they share one baseline.",
                     "你把她自己的 26,000 算了两次：一个是相对于“留住她”的损失，一个是相对于“没有她”的价值。"
                     "请直接用两行的 `total_value`（总价值），它们的比较基准相同。")),
            Mistake("she stays",
                    lambda ns: float(dynamic_customer_value(unhappy_leaves=False)["total_value"]
                                     .pipe(lambda t: t["satisfied"] - t["unhappy"])),
                    ("Your swing leaves out her own spending: the case is read as an unhappy customer who also "
                     "stops buying (unhappy_leaves=True).",
                     "你的差距没有算上她自己的消费：本题按“不满意的客户自己也不再购买”来理解（`unhappy_leaves=True`）。")),
            Mistake("added instead of subtracted",
                    lambda ns: float(dynamic_customer_value()["total_value"].sum()),
                    ("You added the two totals; the swing is the satisfied total minus the unhappy total.",
                     "你把两个总价值相加了；差距应是满意客户的总价值减去不满意客户的总价值。")),
        ],
    ),
    Question(
        id="14.q3", variable="p_alive",
        compare=compare.series_by_key(rtol=1e-4, atol=1e-6, explain=_explain_alive, what=("probability", "概率")),
        hints=[("Fit BGNBD on the summary: BGNBD().fit(summary['frequency'], summary['recency'], summary['T']).",
                "在汇总表上拟合 BG/NBD 模型：BGNBD().fit(summary['frequency'], summary['recency'], summary['T'])。"),
               ("model.probability_alive(frequency, recency, T) gives one probability per customer.",
                "model.probability_alive(frequency, recency, T) 为每位客户给出一个存活概率。")],
        mistakes=[
            Mistake("probability of being gone",
                    lambda ns: 1 - ns["p_alive"],
                    ("That is the probability of being gone (1 − P(alive)).",
                     "这是客户已经流失的概率（1 − 存活概率）。")),
            Mistake("time since last purchase as recency",
                    lambda ns: ns["model"].probability_alive(ns["summary"]["frequency"],
                                                             (ns["summary"]["T"] - ns["summary"]["recency"])
                                                             .where(ns["summary"]["frequency"] > 0, 0.0),
                                                             ns["summary"]["T"]),
                    ("In BG/NBD, recency is the time *of* the last purchase (from the first), not the time since it.",
                     "在 BG/NBD 模型中，`recency` 是最后一次购买*发生的时间*（从首次购买算起），不是距今多久。")),
        ],
    ),
    Question(
        id="14.q4", variable="top_customers", compare=compare.same_items(),
        hints=[("Fit GammaGamma on the repeat customers only (frequency > 0).",
                "只用有重复购买的客户（frequency > 0）拟合 GammaGamma 模型。"),
               ("spend.clv(model, frequency, recency, T, monetary_value) gives each customer's 12-month value.",
                "spend.clv(model, frequency, recency, T, monetary_value) 给出每位客户未来 12 个月的价值。"),
               (f"clv.nlargest({TOP_N}).index.tolist() lists the {TOP_N} most valuable customers.",
                f"clv.nlargest({TOP_N}).index.tolist() 列出最有价值的 {TOP_N} 位客户。")],
        mistakes=[
            Mistake("ranked by past spend",
                    lambda ns: (ns["summary"]["frequency"] * ns["summary"]["monetary_value"])
                    .nlargest(TOP_N).index.tolist(),
                    ("You ranked by past spending; the question ranks by expected future value (CLV), which also "
                     "weighs whether the customer is still alive.",
                     "你是按过去的消费排序的；题目要按预期的未来价值（客户终身价值）排序，它还考虑了客户是否仍然存活。")),
            Mistake("smallest values",
                    lambda ns: ns["clv"].nsmallest(TOP_N).index.tolist(),
                    ("Those are the least valuable customers: take the largest values.",
                     "这些是价值最低的客户：应取价值最高的。")),
            Mistake("ranked by P(alive)",
                    lambda ns: ns["p_alive"].nlargest(TOP_N).index.tolist(),
                    ("You ranked by the probability of being alive; the question ranks by value.",
                     "你是按存活概率排序的；题目要按价值排序。")),
        ],
    ),
    Question(
        id="14.q5", variable="top_value", compare=compare.number(rtol=1e-6),
        hints=[("Sum the CLV of your top customers: clv[top_customers].sum().",
                "把最有价值的这些客户的终身价值加起来：clv[top_customers].sum()。"),
               ("spend.clv discounts each month's revenue at 1 % a month by default: keep the default.",
                "spend.clv 默认按每月 1% 对每个月的收入折现：保留默认值即可。")],
        mistakes=[
            Mistake("undiscounted",
                    lambda ns: float(_clv(ns, discount=0.0)[ns["top_customers"]].sum()),
                    ("Your value is not discounted: a yuan next year is worth less than a yuan today.",
                     "你的价值没有折现：明年的一元钱不如今天的一元钱值钱。")),
            Mistake("discounted from the start of each period",
                    lambda ns: float(ns["top_value"] * 1.01),
                    ("You discounted each month from its start; spend.clv discounts at the end of each month.",
                     "你按每月月初折现了；`spend.clv` 是在每个月的月末折现的。")),
            Mistake("mean instead of sum",
                    lambda ns: float(ns["clv"][ns["top_customers"]].mean()),
                    ("That is their mean value; the question asks what they are worth together (the sum).",
                     "这是他们的平均价值；题目问的是他们加起来值多少（总和）。")),
        ],
    ),
])
