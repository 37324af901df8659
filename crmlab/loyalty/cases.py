"""The course's two customer-value cases as exact calculators (课程案例：客户流失损失与动态客户价值).

Each calculator returns the arithmetic as a table, one step a row, so a student can follow it
and an exercise can check any intermediate number.

Mrs Smith (史密斯女士) leaves Jack's supermarket (杰克超市): $50 a week × 52 weeks × 10 years of her
own spending, plus word of mouth: she tells 10–20 people, at least half of them are influenced,
each of those influences at least 5 more, and a quarter of the influenced people stop shopping
there, each taking 10 years of spending with them.

The Hunan logistics-platform exam task (湖南物流公共信息平台客户价值动态分析): one transaction of
¥50 a week for a 10-year customer lifetime; a satisfied customer tells 5 people, an unhappy one
10, and 20 % of listeners become (or stop being) loyal customers. Whether the unhappy customer
herself leaves is not said: it is a parameter (``unhappy_leaves``), as the Mrs Smith case's
reading of "influenced" is (``count_first_circle``).

Every table adds up row by row: each row's ``arithmetic`` (Mrs Smith) or the column sum
(``total_value = own_value + word_of_mouth_value``) gives its value.
"""
from __future__ import annotations

import pandas as pd

from crmlab.loyalty._inputs import positive_number
from crmlab.validation import require_fraction, require_int


def _table(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["step", "step_zh", "value", "arithmetic"])
    return frame.set_index("step")


def mrs_smith_loss(weekly_spend: float = 50.0, weeks_per_year: int = 52, years: int = 10,
                   told: int = 10, influenced_share: float = 0.5, retold: int = 5,
                   lost_share: float = 0.25, count_first_circle: bool = True) -> pd.DataFrame:
    """What Jack's supermarket loses when Mrs Smith leaves (客户流失的损失).

    Parameters
    ----------
    weekly_spend, weeks_per_year, years : her spending (the case: $50, 52, about 10).
    told : people she tells (the case says 10 to 20).
    influenced_share : share of them she influences ("at least half").
    retold : people each influenced person tells in turn ("at least 5").
    lost_share : share of the influenced people who stop shopping there ("a quarter").
    count_first_circle : True counts both the people she influenced and the people they
        influenced as "influenced"; False counts only the second circle.

    Returns
    -------
    DataFrame indexed by step with the value and the arithmetic; the row "total_loss" is the answer.
    With the defaults: 50×52×10 = 26,000; 10×0.5 = 5 influenced, 5×5 = 25 more, (5+25)×0.25 = 7.5 lost
    customers, 7.5×26,000 = 195,000; total 221,000.
    """
    spend = positive_number(weekly_spend, "weekly_spend")
    weeks = require_int(weeks_per_year, "weeks_per_year", minimum=1)
    n_years = require_int(years, "years", minimum=1)
    n_told = require_int(told, "told", minimum=0)
    share = require_fraction(influenced_share, "influenced_share")
    n_retold = require_int(retold, "retold", minimum=0)
    lost = require_fraction(lost_share, "lost_share")
    yearly = spend * weeks
    lifetime = yearly * n_years
    first = n_told * share
    second = first * n_retold
    influenced = first + second if count_first_circle else second
    lost_customers = influenced * lost
    word_of_mouth = lost_customers * lifetime
    return _table([
        ("weekly_sales", "每周销售额", spend, f"{spend:g}"),
        ("yearly_sales", "每年销售额", yearly, f"{spend:g} × {weeks}"),
        ("lifetime_sales", "生命周期销售额", lifetime, f"{spend:g} × {weeks} × {n_years}"),
        ("first_circle", "受她影响的人", first, f"{n_told} × {share:g}"),
        ("second_circle", "再受影响的人", second, f"{first:g} × {n_retold}"),
        ("influenced", "受影响总人数", influenced,
         f"{first:g} + {second:g}" if count_first_circle else f"{second:g}"),
        ("lost_customers", "不再光顾的顾客", lost_customers, f"{influenced:g} × {lost:g}"),
        ("word_of_mouth_loss", "口碑损失", word_of_mouth, f"{lost_customers:g} × {lifetime:g}"),
        ("total_loss", "总损失", lifetime + word_of_mouth, f"{lifetime:g} + {word_of_mouth:g}"),
    ])


def dynamic_customer_value(spend_per_transaction: float = 50.0, transactions_per_week: int = 1,
                           weeks_per_year: int = 52, years: int = 10, told_if_satisfied: int = 5,
                           told_if_unhappy: int = 10, conversion: float = 0.2,
                           unhappy_leaves: bool = True) -> pd.DataFrame:
    """The exam's dynamic customer value (客户价值动态分析): one customer's value with word of mouth.

    Every value is counted against one baseline, the firm *without* this customer (and without
    what she says), so the rows add up: ``total_value = own_value + word_of_mouth_value``.

    Parameters
    ----------
    spend_per_transaction, transactions_per_week, weeks_per_year, years : float, int, int, int
        Her spending (the case: ¥50, once a week, 52 weeks, a 10-year customer life).
    told_if_satisfied, told_if_unhappy : int
        People she tells when satisfied (the case: 5) or unhappy (10).
    conversion : float
        Share of listeners who act on what they hear (the case: 20 %): they become loyal
        customers, or the firm loses as many loyal customers.
    unhappy_leaves : bool
        The reading of the case, which does not say it: True (default) when the unhappy customer
        also stops buying, so her own value is lost (own_value 0); False when she complains but
        keeps buying (own_value = lifetime_value).

    Returns
    -------
    DataFrame indexed by case ("satisfied", "unhappy") with columns lifetime_value (one
    customer's lifetime transactions: spend × per week × weeks × years), own_value (what she herself
    brings: lifetime_value, or 0 if she leaves), listeners, converted (listeners × conversion),
    word_of_mouth_value (converted × lifetime_value, gained if satisfied, lost if unhappy, hence
    negative) and total_value (own_value + word_of_mouth_value).

    Notes
    -----
    With the defaults: lifetime value 50 × 1 × 52 × 10 = 26,000. Satisfied: 5 × 0.2 = 1 new
    customer, total 26,000 + 26,000 = 52,000. Unhappy and gone: 10 × 0.2 = 2 customers lost,
    total 0 − 52,000 = −52,000 (−26,000 if she stays). The swing between making her happy and
    unhappy is 52,000 − (−52,000) = 104,000 (78,000 if she stays).

    The often-quoted "−(26,000 + 52,000) = −78,000" for the unhappy customer measures her loss
    against *keeping* her, while the satisfied customer's 52,000 is measured against *not having*
    her; subtracting one from the other (130,000) counts her own 26,000 twice.

    References
    ----------
    湖南省高等职业院校电子商务专业技能抽考试题 3-1-1（售前客服与管理），测试任务 (3) 客户价值计算。
    """
    spend = positive_number(spend_per_transaction, "spend_per_transaction")
    per_week = require_int(transactions_per_week, "transactions_per_week", minimum=1)
    weeks = require_int(weeks_per_year, "weeks_per_year", minimum=1)
    n_years = require_int(years, "years", minimum=1)
    happy = require_int(told_if_satisfied, "told_if_satisfied", minimum=0)
    unhappy = require_int(told_if_unhappy, "told_if_unhappy", minimum=0)
    rate = require_fraction(conversion, "conversion")
    lifetime = spend * per_week * weeks * n_years
    rows = {}
    for case, listeners, sign, own in (("satisfied", happy, 1.0, lifetime),
                                        ("unhappy", unhappy, -1.0, 0.0 if unhappy_leaves else lifetime)):
        converted = listeners * rate
        word_of_mouth = sign * converted * lifetime
        rows[case] = {"lifetime_value": lifetime, "own_value": own, "listeners": listeners,
                      "converted": converted, "word_of_mouth_value": word_of_mouth,
                      "total_value": own + word_of_mouth}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "case"
    return frame
