"""Lesson 00 (欢迎): three warm-up questions on the retail world, to learn check / hint / solution."""
from crmlab import datasets
from crmlab.exercises import Exercises, Question, compare


def _customers() -> int:
    return len(datasets.load("retail")["customers"])


def _revenue_2024() -> float:
    sales = datasets.load("retail")["transactions"]
    return float(sales.loc[sales["date"].dt.year == 2024, "amount"].sum())


def _top_city() -> str:
    return str(datasets.load("retail")["customers"]["city"].value_counts().idxmax())


EXERCISES = Exercises("00", [
    Question(
        id="00.q1", variable="n_customers", legacy_expected=_customers, compare=compare.exact(),
        hints=["Each row of the customers table is one customer.",
               "len(table) counts the rows of a DataFrame."],
        legacy_solution='n_customers = len(retail["customers"])',
    ),
    Question(
        id="00.q2", variable="revenue_2024", legacy_expected=_revenue_2024, compare=compare.number(rtol=1e-6),
        hints=["Keep only the transactions whose date falls in 2024: sales['date'].dt.year == 2024.",
               "Then add up their amount column with .sum()."],
        legacy_solution=('sales = retail["transactions"]\n'
                       'revenue_2024 = sales.loc[sales["date"].dt.year == 2024, "amount"].sum()'),
    ),
    Question(
        id="00.q3", variable="top_city", legacy_expected=_top_city, compare=compare.exact(),
        hints=["value_counts() counts how many customers live in each city, largest first.",
               "idxmax() (or .index[0]) gives the label with the largest count."],
        legacy_solution='top_city = retail["customers"]["city"].value_counts().idxmax()',
    ),
])
