"""Lesson 10 (顾客满意度指数模型): fit the ECSI on the mobile-phone data; R², the 0–100 index, the top driver, ACSI.

The right answers come from the lesson's source notebook (instructor/10_satisfaction_index.ipynb), fitted on
Tenenhaus et al. (2005)'s published ECSI data (the same for every student).
"""
from crmlab.exercises import Exercises, Mistake, Question, compare
from crmlab.satisfaction import ACSI, ECSI, ECSI_MOBI_BLOCKS


def _sat_items(ns: dict):
    weights = ns["model"].unstandardized_weights("SAT")
    return ns["mobi"][list(weights.index)], weights


def _acsi_loyalty_r2(ns: dict) -> float:
    return float(ACSI.path_model(ECSI_MOBI_BLOCKS).fit(ns["mobi"]).r2_["LOY"])


EXERCISES = Exercises("10", [
    Question(
        id="10.q1", variable="r2_sat", compare=compare.number(rtol=1e-6),
        hints=[("The fitted model's r2_ is a Series indexed by endogenous construct.",
                "拟合后模型的 r2_ 是一个以内生潜变量为索引的 Series。"),
               ("Satisfaction is the construct 'SAT': model.r2_['SAT'].",
                "满意度对应的潜变量是 'SAT'：model.r2_['SAT']。")],
        mistakes=[
            Mistake("loyalty", lambda ns: float(ns["model"].r2_["LOY"]),
                    ("That is the R² of loyalty (LOY); the question asks about satisfaction (SAT).",
                     "这是顾客忠诚（LOY）的 R²；题目问的是顾客满意度（SAT）。")),
            Mistake("path coefficient", lambda ns: float(ns["model"].path_coefficients_[("QUAL", "SAT")]),
                    ("That is the path coefficient quality → satisfaction; R² is the share of satisfaction's "
                     "variance that all arrows into it explain.",
                     "这是感知质量 → 满意度的路径系数；R² 是所有指向满意度的箭头共同解释的方差比例。")),
            Mistake("percentage", lambda ns: 100 * float(ns["r2_sat"]),
                    ("Your R² is a percentage; give it as a fraction between 0 and 1.",
                     "你给的 R² 是百分数；请写成 0 到 1 之间的小数。")),
        ],
    ),
    Question(
        id="10.q2", variable="sat_index", compare=compare.number(rtol=1e-6),
        hints=[("The index rescales the weighted mean of the SAT items from the 1–10 scale to 0–100.",
                "指数把 SAT 各题的加权平均从 1–10 分换算到 0–100。"),
               ("model.index(data, construct, scale) does it with the unstandardised weights.",
                "model.index(数据, 潜变量, scale) 用换算到原始量表的权重完成计算。")],
        mistakes=[
            Mistake("convention (b)", lambda ns: ECSI.path_model(ECSI_MOBI_BLOCKS, standardize=False).fit(ns["mobi"])
                    .index(ns["mobi"], "SAT", scale=(1, 10)),
                    ("That is the index of a model fitted on raw, centred items (convention b); the question asks "
                     "for model.index on the model fitted above (convention a).",
                     "这是在中心化原始数据上拟合的模型算出的指数（约定 b）；题目要的是用上面拟合好的模型调用 "
                     "`model.index`（约定 a）。")),
            Mistake("not rescaled", lambda ns: float((_sat_items(ns)[0] @ _sat_items(ns)[1]).mean()),
                    ("That is the weighted mean on the 1–10 scale; map it to 0–100: 100 × (x − 1) / (10 − 1).",
                     "这是 1–10 分上的加权平均；还要换算到 0–100：100 × (x − 1) / (10 − 1)。")),
            Mistake("divided by 10", lambda ns: float(10 * (_sat_items(ns)[0] @ _sat_items(ns)[1]).mean()),
                    ("You multiplied the 1–10 mean by 10; the scale starts at 1, so use 100 × (x − 1) / 9.",
                     "你把 1–10 分的平均值直接乘以 10；量表从 1 开始，应当用 100 × (x − 1) / 9。")),
            Mistake("equal weights", lambda ns: float(100 * (_sat_items(ns)[0].mean(axis=1).mean() - 1) / 9),
                    ("You gave the three items equal weights; the index uses the PLS weights (model.index does it).",
                     "你给三道题的权重相同；指数要用偏最小二乘估计出的权重（`model.index` 会用它们）。")),
        ],
    ),
    Question(
        id="10.q3", variable="top_driver", compare=compare.exact(),
        hints=[("A driver acts directly and through other constructs: use model.total_effects().",
                "一个因素既有直接作用，也通过其他潜变量间接作用：请用 model.total_effects()。"),
               ("Keep the effects into SAT: .xs('SAT', level='to'), then the largest: .idxmax().",
                "只保留指向 SAT 的效应：.xs('SAT', level='to')，再取最大的：.idxmax()。")],
        mistakes=[
            Mistake("into loyalty", lambda ns: ns["model"].total_effects().xs("LOY", level="to").idxmax(),
                    ("That construct moves loyalty (LOY) most; the question asks about satisfaction (SAT).",
                     "这个潜变量对顾客忠诚（LOY）的推动最大；题目问的是顾客满意度（SAT）。")),
            Mistake("smallest", lambda ns: ns["model"].total_effects().xs("SAT", level="to").idxmin(),
                    ("That construct has the smallest total effect on satisfaction: take the largest (idxmax).",
                     "这个潜变量对满意度的总效应最小：应取最大的（`idxmax`）。")),
        ],
    ),
    Question(
        id="10.q4", variable="r2_acsi", compare=compare.number(rtol=1e-6),
        hints=[("ACSI has the same constructs as ECSI without image (IMAG).",
                "ACSI 的潜变量与 ECSI 相同，只是没有企业形象（IMAG）。"),
               ("ACSI.path_model(ECSI_MOBI_BLOCKS) builds it; fit it on mobi and read r2_['SAT'].",
                "用 ACSI.path_model(ECSI_MOBI_BLOCKS) 建模，在 mobi 上拟合，再读取 r2_['SAT']。")],
        mistakes=[
            Mistake("ECSI", lambda ns: float(ns["r2_sat"]),
                    ("That is the R² of satisfaction under the ECSI; fit the ACSI structure (without IMAG).",
                     "这是 ECSI 下满意度的 R²；请拟合 ACSI 的结构（没有 IMAG）。")),
            Mistake("difference", lambda ns: float(ns["r2_sat"] - ns["r2_acsi"]),
                    ("That is the difference between the two R²; the question asks for the ACSI's R² itself.",
                     "这是两个 R² 之差；题目要的是 ACSI 的 R² 本身。")),
            Mistake("ACSI loyalty", _acsi_loyalty_r2,
                    ("That is the R² of loyalty under the ACSI; read the one of SAT.",
                     "这是 ACSI 下顾客忠诚的 R²；请读取 SAT 的 R²。")),
        ],
    ),
])
