"""Lesson 08 (满意度-重要性矩阵): stated importance, quadrants at the midpoint, derived importance, what to fix first.

The right answers come from the lesson's source notebook (instructor/08_importance_satisfaction.ipynb).
"""
from crmlab.exercises import Exercises, Mistake, Question, compare
from crmlab.exercises.reference import namespace
from crmlab.i18n import tr
from crmlab.satisfaction import derived_importance, importance_satisfaction
from crmlab.satisfaction.labels import name


def _explain_quadrant(key) -> str:
    ns = namespace("08")
    importance, performance = ns["importance"][key], ns["performance"][key]
    return tr(f"its mean importance is {importance:.2f} and mean satisfaction {performance:.2f}, "
              "both against the cut 4 = (1 + 7) / 2",
              f"{name(key)}的平均重要性为 {importance:.2f}，平均满意度为 {performance:.2f}，两条分界线都是 4 = (1 + 7) / 2")


def _explain_derived(key) -> str:
    return tr(f"use the Pearson correlation between perceive_{key} and overall",
              f"请用 `perceive_{key}` 与 `overall` 的皮尔逊相关系数")


def _derived(ns: dict, method: str = "correlation", overall: str = "overall"):
    attributes = ns["ATTRIBUTES"]
    return derived_importance(ns["survey"], [f"perceive_{a}" for a in attributes], overall,
                              method=method).set_axis(attributes)


def _below(ns: dict):
    return ns["performance"] < ns["performance"].mean()


EXERCISES = Exercises("08", [
    Question(
        id="08.q1", variable="top_stated", compare=compare.exact(),
        hints=[("Stated importance is the mean of each importance_ column: the Series importance.",
                "直接询问的重要性就是各 importance_ 列的平均值，即 Series `importance`。"),
               ("The attribute with the largest mean: .idxmax() on the Series indexed by attribute.",
                "平均值最大的属性：对以属性名为索引的 Series 调用 .idxmax()。")],
        mistakes=[
            Mistake("least important", lambda ns: ns["importance"].idxmin(),
                    ("That attribute has the lowest stated importance: take the largest mean (idxmax).",
                     "这个属性的重要性最低：应取平均值最大的（`idxmax`）。")),
            Mistake("column name", lambda ns: f"importance_{ns['importance'].idxmax()}",
                    ("Give the attribute's name (e.g. 'price'), not the column name.",
                     "请给出属性名（例如 'price'），而不是列名。")),
        ],
    ),
    Question(
        id="08.q2", variable="quadrant_mid",
        compare=compare.series_by_key(explain=_explain_quadrant, what=("quadrant", "象限")),
        hints=[("Same importance and satisfaction means as the worked example; only the cut lines move.",
                "平均重要性和平均满意度与例题相同，只是分界线移动了。"),
               ("cut='midpoint' needs the scale the questions used: scale=(1, 7).",
                "cut='midpoint' 需要问卷所用的量表：scale=(1, 7)。"),
               ("Keep only the 'quadrant' column of the table importance_satisfaction returns.",
                "importance_satisfaction 返回一张表，只保留其中的 'quadrant' 列。")],
        mistakes=[
            Mistake("mean cut", lambda ns: importance_satisfaction(ns["importance"], ns["performance"])["quadrant"],
                    ("Those are the quadrants with the cut lines at the grand means; the question puts them at the "
                     "scale midpoint (1 + 7) / 2 = 4.",
                     "这是以总均值为分界线的象限；题目要求把分界线放在量表中点 (1 + 7) / 2 = 4。")),
            Mistake("scale 1–10", lambda ns: importance_satisfaction(ns["importance"], ns["performance"],
                                                                     cut="midpoint", scale=(1, 10))["quadrant"],
                    ("You used a 1–10 scale; the importance and perception questions are on 1–7.",
                     "你用的是 1–10 分的量表；重要性和感知题都是 1–7 分。")),
        ],
    ),
    Question(
        id="08.q3", variable="derived",
        compare=compare.series_by_key(rtol=1e-6, atol=1e-9, explain=_explain_derived,
                                      what=("importance", "重要性")),
        hints=[("Derived importance: how strongly each attribute's rating moves with the overall rating.",
                "推导重要性：每个属性的评分与总体评价一起变动得有多紧密。"),
               ("derived_importance(survey, perceive_columns, 'overall') uses the correlation by default.",
                "derived_importance(survey, 感知列, 'overall') 默认用相关系数。"),
               ("Index the result by the attribute names: .set_axis(ATTRIBUTES).",
                "用属性名作索引：.set_axis(ATTRIBUTES)。")],
        mistakes=[
            Mistake("regression", lambda ns: _derived(ns, "regression"),
                    ("Those are the regression weights; the question asks for the correlation with overall.",
                     "这是回归系数；题目要的是与 `overall` 的相关系数。")),
            Mistake("stated", lambda ns: ns["importance"],
                    ("That is the stated importance (what customers say); derived importance is the correlation of "
                     "each perceive_ column with overall.",
                     "这是直接询问的重要性（顾客说的）；推导重要性是各 `perceive_` 列与 `overall` 的相关系数。")),
            Mistake("recommend", lambda ns: _derived(ns, overall="recommend"),
                    ("You correlated with recommend; use the overall satisfaction rating.",
                     "你求的是与 `recommend` 的相关系数；应当用总体满意度 `overall`。")),
            Mistake("index not renamed", lambda ns: _derived(ns).set_axis([f"perceive_{a}" for a in ns["ATTRIBUTES"]]),
                    ("Your values are right but indexed by column names: index them by attribute (.set_axis(ATTRIBUTES)).",
                     "数值对了，但索引还是列名：请改用属性名作索引（.set_axis(ATTRIBUTES)）。")),
        ],
    ),
    Question(
        id="08.q4", variable="fix_first", compare=compare.exact(),
        hints=[("Candidates: attributes whose mean satisfaction is below the average of the five means.",
                "候选属性：平均满意度低于五个平均值之平均的那些属性。"),
               ("Among them, take the one with the highest correlation-derived importance (question 3).",
                "在候选属性中，取基于相关系数的推导重要性最高的那个（问题 3）。"),
               ("performance < performance.mean() gives the candidates; derived[candidates].idxmax() the winner.",
                "performance < performance.mean() 选出候选属性；derived[候选].idxmax() 给出答案。")],
        mistakes=[
            Mistake("lowest satisfaction", lambda ns: ns["performance"].idxmin(),
                    ("You picked the least satisfying attribute; the rule picks, among the below-average ones, the "
                     "one that drives overall satisfaction most.",
                     "你选的是满意度最低的属性；规则是在低于平均水平的属性中，选对总体满意度影响最大的那个。")),
            Mistake("all attributes", lambda ns: _derived(ns).idxmax(),
                    ("You took the highest derived importance over all attributes; consider only those with "
                     "below-average satisfaction.",
                     "你在全部属性中取了推导重要性最高的；只应在满意度低于平均水平的属性中选。")),
            Mistake("stated importance", lambda ns: ns["importance"][_below(ns)].idxmax(),
                    ("You ranked the candidates by stated importance; the rule uses the correlation-derived importance.",
                     "你按直接询问的重要性给候选属性排序；规则用的是基于相关系数的推导重要性。")),
        ],
    ),
])
