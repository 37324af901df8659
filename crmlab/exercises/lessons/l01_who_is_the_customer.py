"""Lesson 01 (客户的概念与类型): the steel-company exercise, then the steel supplier's accounts by
customer category (客户类型) and relationship type (客户关系类型). The answers come from the lesson's
source notebook; this module holds the checks."""
from crmlab.classify import steel_exercise
from crmlab.classify.labels import to_codes
from crmlab.exercises import Exercises, Mistake, Question, compare
from crmlab.i18n import tr

_BUYS_FOR_ZH = {"own_use": "自用", "resale": "转售", "production": "用于生产", "public_project": "公共项目"}
_INDUSTRY_ZH = {"household": "家庭", "automotive": "汽车制造", "real_estate": "房地产", "government": "政府机构",
                "healthcare": "医疗", "distribution": "批发分销"}


def _in_codes(comparator, kind="category"):
    """Accept a label written as a code ("consumer") or as the course's Chinese name ("消费者客户")."""
    return lambda answer, expected: comparator(to_codes(answer, kind), expected)


def _explain_steel(key) -> str:
    case = steel_exercise().loc[key]
    group = bool(case["same_group"])
    return tr(f"that customer buys for '{case['buys_for']}', is in the seller's group: {group}, "
              f"industry '{case['industry']}'",
              f"该客户的购买用途是“{_BUYS_FOR_ZH.get(case['buys_for'], case['buys_for'])}”，"
              f"{'属于' if group else '不属于'}卖方所在集团，行业是“{_INDUSTRY_ZH.get(case['industry'], case['industry'])}”")


def _with(answers, **changes):
    out = answers.copy()
    for key, value in changes.items():
        out[key] = value
    return out


def _revenue_by(ns, how):
    return getattr(ns["revenue"].groupby(ns["categories"]["category"]), how)()


def _close(ns, types=("partner", "strategic_alliance")):
    return ns["accounts"]["relationship"].isin(list(types)).groupby(ns["categories"]["category"])


EXERCISES = Exercises("01", [
    Question(
        id="01.q1", variable="steel_answers",
        compare=_in_codes(compare.series_by_key(explain=_explain_steel, what=("category", "客户类型"))),
        hints=[("Ask three questions in order: is the buyer part of the seller's own group? Does it buy to sell on? "
                "Who is it (a person, a government body, a service organisation, a company)?",
                "按顺序问三个问题：买方是否属于卖方自己的集团？它买来是否为了转售？它是谁（个人、政府机构、"
                "提供服务的组织，还是企业）？"),
               ("Write the categories as a Series indexed S1 … S6 with the labels consumer, business, channel, "
                "government, service, internal.",
                "把答案写成以 S1 … S6 为索引的 Series，取值为 consumer、business、channel、government、service、"
                "internal（也可以写中文名称，如“消费者客户”）。"),
               ("customer_category(steel) applies the course's rules; compare its 'category' column with yours.",
                "customer_category(steel) 按课程的规则分类；把它的 `category` 列和你的答案对照。")],
        mistakes=[
            Mistake("group ignored", lambda ns: _with(ns["steel_answers"], S2="business"),
                    ("The car plant (S2) belongs to the seller's own group: ask that question first.",
                     "汽车制造厂（S2）属于卖方自己的集团：应当先问这个问题。")),
            Mistake("hospital as business", lambda ns: _with(ns["steel_answers"], S5="business"),
                    ("The hospital (S5) is an organisation that produces services, not a company buying for "
                     "production.", "医院（S5）是提供服务的组织，不是为生产而采购的企业。")),
            Mistake("distributor as business", lambda ns: _with(ns["steel_answers"], S6="business"),
                    ("The distributor (S6) buys to sell on: that makes it an intermediary.",
                     "分销商（S6）买来是为了转售，因此是中间商客户。")),
            Mistake("developer as consumer", lambda ns: _with(ns["steel_answers"], S3="consumer"),
                    ("The property developer (S3) builds houses to sell: it buys for its production, not for "
                     "its own home.", "房地产开发公司（S3）建房是为了出售，是为生产而购买，而不是自用。")),
        ],
    ),
    Question(
        id="01.q2", variable="category_counts",
        compare=_in_codes(compare.series_by_key(what=("count", "类型的客户数"))),
        hints=[("categories = customer_category(accounts) placed every account; its 'category' column holds the "
                "labels.", "categories = customer_category(accounts) 已为每个客户分好类，标签在它的 `category` 列。"),
               ("value_counts() counts the accounts per label.", "用 value_counts() 统计每个标签下的客户数。")],
        mistakes=[
            Mistake("shares instead of counts", lambda ns: ns["categories"]["category"].value_counts(normalize=True),
                    ("These are shares; the question asks for numbers of accounts.",
                     "你给的是占比，题目问的是客户数。")),
            Mistake("relationship types", lambda ns: ns["accounts"]["relationship"].value_counts(),
                    ("You counted relationship types; count the customer categories.",
                     "你统计的是客户关系类型；题目要统计的是客户类型。")),
            Mistake("revenue not count", lambda ns: _revenue_by(ns, "sum"),
                    ("You added up revenue per category; the question asks how many accounts.",
                     "你按类型汇总了收入；题目问的是客户的个数。")),
        ],
    ),
    Question(
        id="01.q3", variable="top_category", compare=_in_codes(compare.exact()),
        hints=[("revenue is indexed by account_id; categories['category'] too.",
                "revenue 以 account_id 为索引，categories['category'] 也是。"),
               ("revenue.groupby(categories['category']).sum() adds up the revenue per category.",
                "revenue.groupby(categories['category']).sum() 按客户类型汇总收入。"),
               (".idxmax() gives the label with the largest sum.", ".idxmax() 给出合计最大的那个标签。")],
        mistakes=[
            Mistake("most accounts", lambda ns: ns["categories"]["category"].value_counts().idxmax(),
                    ("That is the category with the most accounts; the question asks for the most revenue.",
                     "这是客户数最多的类型，题目问的是收入最多的类型。")),
            Mistake("mean per account", lambda ns: _revenue_by(ns, "mean").idxmax(),
                    ("That is the largest revenue per account; add up the revenue of the whole category.",
                     "这是每个客户平均收入最高的类型，请把整个类型的收入加总。")),
            Mistake("smallest", lambda ns: _revenue_by(ns, "sum").idxmin(),
                    ("That category brings the least revenue: use idxmax, not idxmin.",
                     "这个类型的收入最少：应当用 idxmax，而不是 idxmin。")),
        ],
    ),
    Question(
        id="01.q4", variable="closest_category", compare=_in_codes(compare.exact()),
        hints=[("accounts['relationship'].isin(['partner', 'strategic_alliance']) marks the close relationships.",
                "accounts['relationship'].isin(['partner', 'strategic_alliance']) 标出关系密切的客户。"),
               ("Group that True/False Series by category and take the mean: the share of close relationships.",
                "把这个 True/False 的 Series 按客户类型分组求均值，就是关系密切的客户所占比例。"),
               (".idxmax() names the category with the highest share.", ".idxmax() 给出比例最高的类型。")],
        mistakes=[
            Mistake("count not share", lambda ns: _close(ns).sum().idxmax(),
                    ("That category has the most close accounts, not the highest share of them: take the mean.",
                     "这个类型关系密切的客户最多，但比例不是最高：请求均值而不是求和。")),
            Mistake("alliance only", lambda ns: _close(ns, ("strategic_alliance",)).mean().idxmax(),
                    ("Count partners as well as strategic alliances.", "合作伙伴关系也要算上，不只是战略联盟关系。")),
        ],
    ),
])
