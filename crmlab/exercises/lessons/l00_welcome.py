"""Lesson 00 (欢迎): three warm-up questions on the retail world, to learn check / hint / solution."""
from crmlab.exercises import Exercises, Mistake, Question, compare


def _sales_in(ns: dict, year: int):
    sales = ns["retail"]["transactions"]
    return sales.loc[sales["date"].dt.year == year, "amount"]


EXERCISES = Exercises("00", [
    Question(
        id="00.q1", variable="n_customers", compare=compare.exact(),
        hints=[("Each row of the customers table is one customer.", "customers 表的每一行就是一位客户。"),
               ("len(table) counts the rows of a DataFrame.", "len(表) 可以数出 DataFrame 有多少行。")],
        mistakes=[
            Mistake("counted transactions", lambda ns: len(ns["retail"]["transactions"]),
                    ("You counted the transactions (purchases), not the customers.",
                     "你数的是交易（购买）记录的条数，不是客户人数。")),
            Mistake("counted buyers only", lambda ns: ns["retail"]["transactions"]["customer_id"].nunique(),
                    ("You counted only the customers who bought something; the customers table lists all of them.",
                     "你只数了有过购买的客户；customers 表列出了全部客户。")),
        ],
    ),
    Question(
        id="00.q2", variable="revenue_2024", compare=compare.number(rtol=1e-6),
        hints=[("Keep only the transactions whose date falls in 2024: sales['date'].dt.year == 2024.",
                "只保留日期在 2024 年的交易：sales['date'].dt.year == 2024。"),
               ("Then add up their amount column with .sum().", "再用 .sum() 把它们的 amount 列加起来。")],
        mistakes=[
            Mistake("all years", lambda ns: ns["retail"]["transactions"]["amount"].sum(),
                    ("That is the revenue of all years: keep only the transactions of 2024.",
                     "这是所有年份的销售额：只保留 2024 年的交易。")),
            Mistake("counted instead of summed", lambda ns: len(_sales_in(ns, 2024)),
                    ("You counted the 2024 transactions; revenue is the sum of their amounts.",
                     "你数的是 2024 年的交易笔数；销售额是这些交易金额之和。")),
            Mistake("mean instead of sum", lambda ns: _sales_in(ns, 2024).mean(),
                    ("That is the mean amount of a 2024 transaction; revenue is their sum.",
                     "这是 2024 年每笔交易的平均金额；销售额是金额之和。")),
            *(Mistake(f"year {year}", lambda ns, year=year: _sales_in(ns, year).sum(),
                      (f"That is the revenue of {year}: check the year you filter on.",
                       f"这是 {year} 年的销售额：请检查筛选的年份。")) for year in (2023, 2025)),
        ],
    ),
    Question(
        id="00.q3", variable="top_city", compare=compare.exact(),
        hints=[("value_counts() counts how many customers live in each city, largest first.",
                "value_counts() 统计每个城市有多少客户，从多到少排列。"),
               ("idxmax() (or .index[0]) gives the label with the largest count.",
                "idxmax()（或 .index[0]）给出数量最多的那个城市名。")],
        mistakes=[
            Mistake("fewest customers", lambda ns: ns["retail"]["customers"]["city"].value_counts().idxmin(),
                    ("That is the city with the fewest customers: you want the most.",
                     "这是客户最少的城市，题目问的是客户最多的城市。")),
        ],
    ),
])
