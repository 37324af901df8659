"""The classification track's teaching tables (lessons 01, 03, 04, 05), written once.

Each function returns a fresh DataFrame; the lesson notebooks load them from here and the checks
read the notebooks' own results, so no table is pasted twice. The steel company's six customers
(lesson 01) are data of :func:`crmlab.classify.steel_exercise`.
"""
from __future__ import annotations

import pandas as pd


def abc_exam() -> pd.DataFrame:
    """The exam-style ABC task: ten member companies of a logistics information platform, one year.

    Columns: ``amount`` (transaction value, thousand yuan, 交易额), ``transactions`` (number of
    transactions, 交易次数), ``interval_days`` (mean days between two transactions, 交易间隔);
    indexed by ``customer`` K01 … K10.

    Worked by hand (amounts sorted, total 400): K02 30 %, K06 52.5 %, K04 67.5 %, K08 77.5 % → A by
    contribution; K01 85 %, K09 91.25 %, K05 95 % → B; K10, K03, K07 → C.

    References
    ----------
    After the course's exam task 湖南省高职电子商务技能抽考 3-1-1 (客户分类管理, 湖南物流公共信息平台):
    the same layout and question, with the lab's own numbers.
    """
    return pd.DataFrame({
        "amount": [30, 120, 6, 60, 15, 90, 4, 40, 25, 10],
        "transactions": [10, 22, 2, 5, 3, 26, 1, 17, 8, 6],
        "interval_days": [36, 16, 180, 72, 120, 14, 360, 21, 45, 60],
    }, index=pd.Index([f"K{i:02d}" for i in range(1, 11)], name="customer"))


def rfm_ties() -> pd.DataFrame:
    """Lesson 04's tie case: ten customers' numbers of purchases, five of them one-time buyers.

    One column ``frequency``, indexed P01 … P10. With ``ties="average"`` the five 1s share ranks 1–5,
    mid-rank 3, so F = 1 + ⌊5·(3 − 1)/10⌋ = 2.

    References
    ----------
    The lab's own case, after the tie problem Fader, Hardie & Lee (2005, JMR 42(4)) meet on CDNOW, where
    half the customers bought once.
    """
    return pd.DataFrame({"frequency": [1, 4, 1, 9, 2, 1, 6, 1, 3, 1]},
                        index=[f"P{i:02d}" for i in range(1, 11)])
