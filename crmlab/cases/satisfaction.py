"""The satisfaction lessons' small teaching cases (lessons 06–09), each written once.

Every function returns a fresh object in the language in force (store names in Chinese in a
Chinese lesson), so a lesson that changes its copy changes nothing else, and the checks, which run
the lesson's own source notebook, see the same table the student sees.
"""
from __future__ import annotations

import pandas as pd

from crmlab.i18n import tr

# The three supermarkets of the delivered-value case and the name-recall answers (lessons 06, 07).
_STORES = {"FreshMart": "鲜丰超市", "CityPlus": "城市优选", "BudgetBox": "实惠多"}
VALUE_COLUMNS = ["product", "service", "personnel", "image"]
COST_COLUMNS = ["money", "time", "energy", "effort"]


def store_name(key: str) -> str:
    """The name of one of the case's supermarkets (``"FreshMart"``, ``"CityPlus"``, ``"BudgetBox"``) in the
    language in force."""
    return tr(key, _STORES[key])


def shoppers() -> pd.DataFrame:
    """Four shoppers' expectation ``a`` and perception ``b`` of the fresh food, 1–7 (lesson 06, worked by hand).

    The course's C = b / a (课程讲义 2.1.1, 差距理论): 6/5 = 1.2 satisfied, 6/6 = 1 ordinary,
    3/4 = 0.75 and 5/7 ≈ 0.71 dissatisfied.
    """
    names = [tr(n, z) for n, z in [("Li", "小李"), ("Wang", "小王"), ("Zhao", "小赵"), ("Chen", "小陈")]]
    return pd.DataFrame({"a": [5, 6, 4, 7], "b": [6, 6, 3, 5]}, index=pd.Index(names, name="shopper"))


def delivered_value_stores() -> pd.DataFrame:
    """One shopper's 0–10 scores of three supermarkets on the components of customer delivered value (lesson 06).

    Kotler's customer delivered value (客户让渡价值), as the course states it (课程讲义 2.1.4): total
    customer value = product + service + personnel + image value (产品、服务、人员、形象价值); total
    customer cost = money + time + energy + physical effort (货币、时间、精神、体力成本). By hand:
    FreshMart 26 − 19 = 7, CityPlus 29 − 17 = 12, BudgetBox 20 − 12 = 8.
    """
    return pd.DataFrame({
        "product": [8, 7, 6], "service": [6, 8, 5], "personnel": [5, 8, 5], "image": [7, 6, 4],
        "money": [9, 10, 5], "time": [4, 3, 2], "energy": [3, 2, 2], "effort": [3, 2, 3],
    }, index=pd.Index([store_name(k) for k in _STORES], name="store"))


def first_named() -> pd.Series:
    """Ten answers to the open question "Which supermarket comes to mind first?" (lesson 07, name recall 指名度).

    Five of ten name FreshMart (one in lower case in English), two leave it blank: name recall 0.5.
    """
    keys = ["FreshMart", "CityPlus", "FreshMart", "", "FreshMart", "BudgetBox", "CityPlus", "FreshMart", "",
            "FreshMart"]
    answers = [store_name(k) if k else "" for k in keys]
    answers[2] = tr("freshmart", store_name("FreshMart"))
    return pd.Series(answers, name="first_named")


# The service-desk SERVQUAL survey (lesson 07): the mean gap the generator gives each dimension.
SERVQUAL_DESIGN = {"tangibles": 0.4, "reliability": -0.9, "responsiveness": -0.6, "assurance": 0.1, "empathy": -0.3}


def servqual_supermarket(seed: int | None = None):
    """The supermarket service desk's SERVQUAL survey (lesson 07): 150 customers, 1988 wording (items 10–13 and
    18–22 worded negatively), answers on 1–7.

    ``seed`` defaults to the student's own seed derived from 7 (:func:`crmlab.student.own_seed`):
    seed 7 without a student ID. Design after Parasuraman, Zeithaml & Berry (1988); reliability has the
    widest gap, as in their studies.
    """
    from crmlab.student import own_seed
    from crmlab.synth.surveys import servqual_survey

    return servqual_survey(150, SERVQUAL_DESIGN, wording="1988", seed=own_seed(7) if seed is None else seed)


# The supermarket's Kano questionnaire (lesson 09): each feature's true category, known only to the generator.
_KANO_FEATURES = {"fresh_produce": "M", "clean_store": "M", "short_queues": "O", "helpful_staff": "O",
                  "free_wifi": "A", "self_checkout": "A", "home_delivery": "A", "background_music": "I"}


def kano_supermarket(seed: int | None = None):
    """The supermarket's Kano questionnaire (lesson 09): 200 shoppers, eight features, 30 % random answers.

    The generator knows each feature's category (``.truth["categories"]``); the lesson shows it only
    after the students have estimated it. ``seed`` defaults to the student's own seed derived from 9.
    The features follow the course's supermarket case (课程讲义 2.1.5, 卖场如何提高顾客满意度) and
    Kano et al. (1984)'s categories.
    """
    from crmlab.student import own_seed
    from crmlab.synth.surveys import kano_survey

    return kano_survey(200, dict(_KANO_FEATURES), noise=0.3, seed=own_seed(9) if seed is None else seed)
