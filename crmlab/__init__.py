"""crmlab: a Jupyter training lab for Customer Relationship Management (客户关系管理).

Models and synthetic company data for a course on customer classification (客户分类),
satisfaction measurement (客户满意度) and loyalty value (客户忠诚与客户终身价值).
"""
from crmlab.i18n import get_language, set_language
from crmlab.student import get_student_id, set_student_id, settings

__version__ = "0.1.0"
__all__ = ["get_language", "get_student_id", "set_language", "set_student_id", "settings", "__version__"]


def __getattr__(name: str):
    # `import crmlab` stays light; crmlab.datasets (pandas, the worlds) loads on first use.
    if name == "datasets":
        import importlib
        return importlib.import_module("crmlab.datasets")
    raise AttributeError(f"module 'crmlab' has no attribute {name!r}")
