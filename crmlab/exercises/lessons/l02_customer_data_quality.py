"""Lesson 02 (客户数据质量): completeness by hand, then the dealer's dirty export: validity, duplicates, the threshold."""
import pandas as pd

from crmlab.exercises import Exercises, Question, compare
from crmlab.quality import duplicate_metrics, find_duplicates, quality_summary
from crmlab.synth.dirty import make_dirty_customers

REQUIRED = ["name", "phone", "email", "city"]
# The dealer's export is the same for every student: a fixed seed (the clean-up began in July 2009).
DIRTY_SEED = 2009

# Six records typed in at a showroom (the hand case): R2 has no phone, R6 no city.
SMALL = pd.DataFrame({
    "name": ["张伟", "李娜", "王芳", "張偉", "测试", "刘洋"],
    "phone": ["13912345678", None, "13687654321", "139-1234-5678", "13800000000", "13511112222"],
    "email": ["zhangwei@163.com", "lina@qq.com", "wangfang@126.com", "zhangwei@163.com", "test@test.com",
              "liuyang@qq.com"],
    "city": ["上海市", "南京市", "杭州市", "上海市", "上海市", None],
}, index=pd.Index([f"R{i}" for i in range(1, 7)], name="record_id"))


def dealer_export() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The lesson's dirty customer file and its ground truth (1,000 zh_CN records)."""
    return make_dirty_customers(1000, seed=DIRTY_SEED, locale="zh_CN")


def _complete_share() -> float:
    # Required fields filled per record: R1 4/4, R2 3/4 (no phone), R3 4/4, R4 4/4, R5 4/4, R6 3/4 (no city).
    # Complete records = R1, R3, R4, R5 → 4 of 6 = 0.667. (R5 is complete but a placeholder: validity's job.)
    return 4 / 6


def _valid_share() -> float:
    dirty, truth = dealer_export()
    return float(quality_summary(dirty, REQUIRED, clusters=truth["person_id"])["validity"])


def _recall() -> float:
    dirty, truth = dealer_export()
    return float(duplicate_metrics(find_duplicates(dirty), truth["person_id"])["recall"])


def _false_merges() -> float:
    dirty, truth = dealer_export()
    metrics = duplicate_metrics(find_duplicates(dirty, threshold=0.8), truth["person_id"])
    return float(metrics["predicted_pairs"] - metrics["true_positives"])


EXERCISES = Exercises("02", [
    Question(
        id="02.q1", variable="complete_share", legacy_expected=_complete_share, compare=compare.number(atol=0.005),
        hints=["A record is complete when all four required fields (name, phone, email, city) are filled.",
               "R2 has no phone and R6 no city; the placeholder R5 is filled (wrong, but filled).",
               "complete_records(small, REQUIRED).mean() gives the share; by hand it is 4 / 6."],
        legacy_solution='complete_share = complete_records(small, REQUIRED).mean()',
    ),
    Question(
        id="02.q2", variable="valid_share", legacy_expected=_valid_share, compare=compare.number(atol=1e-6),
        hints=["quality_summary(dirty, REQUIRED, clusters=truth['person_id']) gives the three measures in one Series.",
               "Validity there is the share of records on which no rule fails (not the mean of the rules' rates).",
               "valid_share = summary['validity']"],
        legacy_solution=('summary = quality_summary(dirty, REQUIRED, clusters=truth["person_id"])\n'
                       'valid_share = summary["validity"]'),
    ),
    Question(
        id="02.q3", variable="recall", legacy_expected=_recall, compare=compare.number(atol=1e-6),
        hints=["metrics compares the matched pairs with the true pairs of records of the same person.",
               "Recall (查全率) = true pairs found / all true pairs; precision (查准率) is the other one.",
               "recall = metrics['recall']"],
        legacy_solution='recall = metrics["recall"]',
    ),
    Question(
        id="02.q4", variable="false_merges", legacy_expected=_false_merges, compare=compare.number(atol=0.5),
        hints=["Run find_duplicates(dirty, threshold=0.8) and score it with duplicate_metrics.",
               "A false merge is a predicted pair that is not a true pair: predicted_pairs − true_positives.",
               "m80 = duplicate_metrics(find_duplicates(dirty, threshold=0.8), truth['person_id'])"],
        legacy_solution=('m80 = duplicate_metrics(find_duplicates(dirty, threshold=0.8), truth["person_id"])\n'
                       'false_merges = m80["predicted_pairs"] - m80["true_positives"]'),
    ),
])
