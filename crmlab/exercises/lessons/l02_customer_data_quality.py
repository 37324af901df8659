"""Lesson 02 (客户数据质量): completeness by hand, then the dealer's dirty export: validity, duplicates, the threshold.

The right answers come from the lesson's source notebook (``instructor/02_customer_data_quality.ipynb``);
its teaching cases live in :mod:`crmlab.cases.operations`.
"""
from crmlab.exercises import Exercises, Mistake, Question, compare

EXERCISES = Exercises("02", [
    Question(
        id="02.q1", variable="complete_share", compare=compare.number(atol=0.005),
        hints=[("A record is complete when all four required fields (name, phone, email, city) are filled.",
                "四个必填字段（name、phone、email、city）都已填写，这条记录才算完整。"),
               ("Look for the empty cells (None or NaN) in small; the placeholder R5 is filled (wrong, but filled).",
                "在 small 里找空单元格（显示为 None 或 NaN）；占位记录 R5 虽然内容不对，但字段都填了。"),
               ("complete_records(small, REQUIRED) marks each record; .mean() turns the marks into a share.",
                "complete_records(small, REQUIRED) 逐条标记是否完整；再用 .mean() 得到比例。")],
        mistakes=[
            Mistake("share of filled fields", lambda ns: ns["small"][list(ns["REQUIRED"])].notna().mean().mean(),
                    ("That is the share of filled fields; the question asks for the share of records with every "
                     "required field filled.",
                     "你算的是已填写字段的占比；题目问的是所有必填字段都已填写的记录占比。")),
            Mistake("one field only", lambda ns: ns["small"]["phone"].notna().mean(),
                    ("You checked only the phone; a record is complete when all four required fields are filled.",
                     "你只检查了手机号；四个必填字段都填了，记录才算完整。")),
            Mistake("incomplete share", lambda ns: 1 - ns["complete_share"],
                    ("That is the share of incomplete records; the question asks for the complete ones.",
                     "你算的是不完整记录的占比；题目问的是完整记录的占比。")),
        ],
    ),
    Question(
        id="02.q2", variable="valid_share", compare=compare.number(atol=1e-6),
        hints=[("quality_summary(dirty, REQUIRED, clusters=truth['person_id']) gives the three measures in one "
                "Series.", "quality_summary(dirty, REQUIRED, clusters=truth['person_id']) 用一个 Series 给出三个指标。"),
               ("Validity there is the share of records on which no rule fails (not the mean of the rules' rates).",
                "其中的正确性是“没有任何规则不合格”的记录占比（不是各条规则合格率的平均）。"),
               ("valid_share = summary['validity']",
                "写成代码：valid_share = summary['validity']")],
        mistakes=[
            Mistake("mean of the rules", lambda ns: ns["validity_report"](ns["dirty"])["validity"].mean(),
                    ("That is the mean of the rules' pass rates; a record is valid only when it breaks no rule at all.",
                     "你算的是各条规则合格率的平均值；一条记录要一条规则都不违反才算正确。")),
            Mistake("uniqueness", lambda ns: ns["summary"]["uniqueness"],
                    ("That is the uniqueness; the question asks for validity (correctness).",
                     "你取的是唯一性；题目问的是正确性。")),
            Mistake("completeness", lambda ns: ns["summary"]["completeness"],
                    ("That is the completeness; the question asks for validity (correctness).",
                     "你取的是完整性；题目问的是正确性。")),
        ],
    ),
    Question(
        id="02.q3", variable="recall", compare=compare.number(atol=1e-6),
        hints=[("metrics counts the matched pairs (predicted_pairs), the true pairs and the matched pairs that are "
                "true (true_positives).",
                "metrics 里有判为重复的记录对数（predicted_pairs）、真实重复对数（true_pairs）和判对的记录对数"
                "（true_positives）。"),
               ("Recall (查全率) = true pairs found / all true pairs; precision (查准率) divides by the matched pairs.",
                "查全率 = 找出的真实重复对 / 全部真实重复对；查准率的分母才是判为重复的记录对数。"),
               ("recall = metrics['true_positives'] / metrics['true_pairs']",
                "写成代码：recall = metrics['true_positives'] / metrics['true_pairs']")],
        mistakes=[
            Mistake("precision", lambda ns: ns["metrics"]["true_positives"] / ns["metrics"]["predicted_pairs"],
                    ("That is the precision (found pairs that are true); recall divides by all true pairs.",
                     "你算的是查准率（判为重复的记录对中判对的比例）；查全率要除以全部真实重复对。")),
            Mistake("inverted", lambda ns: ns["metrics"]["true_pairs"] / ns["metrics"]["true_positives"],
                    ("Your ratio is upside down: a recall cannot exceed 1.", "你的比例分子分母颠倒了：查全率不可能大于 1。")),
        ],
    ),
    Question(
        id="02.q4", variable="false_merges", compare=compare.number(atol=0.5),
        hints=[("Run find_duplicates(dirty, threshold=0.8) and score it with duplicate_metrics.",
                "运行 find_duplicates(dirty, threshold=0.8)，再用 duplicate_metrics 评分。"),
               ("A false merge is a predicted pair that is not a true pair: predicted_pairs − true_positives.",
                "错误合并是判为重复、其实不是同一个人的记录对：predicted_pairs − true_positives。"),
               ("m80 = duplicate_metrics(find_duplicates(dirty, threshold=0.8), truth['person_id'])",
                "写成代码：m80 = duplicate_metrics(find_duplicates(dirty, threshold=0.8), truth['person_id'])")],
        mistakes=[
            Mistake("default threshold", lambda ns: ns["metrics"]["predicted_pairs"] - ns["metrics"]["true_positives"],
                    ("That is the count at the default threshold 0.9; run the matcher again with threshold=0.8.",
                     "这是默认阈值 0.9 下的结果；请用 threshold=0.8 重新运行查重。")),
            Mistake("missed pairs", lambda ns: ns["m80"]["true_pairs"] - ns["m80"]["true_positives"],
                    ("That counts the true pairs the matcher missed; a false merge is a matched pair that is not true.",
                     "你数的是漏掉的真实重复对；错误合并是判为重复、其实不是同一个人的记录对。")),
            Mistake("all matched pairs", lambda ns: ns["m80"]["predicted_pairs"],
                    ("That counts every matched pair; subtract the ones that are truly the same person.",
                     "你数的是全部判为重复的记录对；还要减去其中真正属于同一个人的记录对。")),
        ],
    ),
])
