"""Speed of the PLS path model (ECSI structure): 250 and 100,000 respondents, 500 bootstrap resamples,
beside the peer Python package seminr when it is installed.

Run alone: ``python -m benchmarks.bench_satisfaction``. The 250-respondent data are the ECSI
mobile-phone survey; the large sample comes from :func:`crmlab.synth.surveys.index_survey` (seeded).
"""
from __future__ import annotations

import pandas as pd

from benchmarks.timing import timed
from crmlab.satisfaction import ECSI, ECSI_MOBI_BLOCKS, load_ecsi_mobi
from crmlab.synth.surveys import index_survey


def _seminr_fit(data: pd.DataFrame, blocks: dict):
    """The same ECSI model in seminr (Python port of the R package), or None when not installed."""
    try:
        import seminr
    except ImportError:
        return None
    mm = seminr.constructs(*[seminr.composite(c, list(items)) for c, items in blocks.items()])
    sm = seminr.relationships(*[seminr.paths(s, d) for s, d in ECSI.paths])
    return lambda: seminr.estimate_pls(data, mm, sm)


def run() -> list[dict]:
    rows = []
    mobi = load_ecsi_mobi()
    model = ECSI.path_model(ECSI_MOBI_BLOCKS)
    small = timed(lambda: model.fit(mobi), 20).seconds
    rows.append({"benchmark": "PathModel ECSI, 250 respondents", "seconds": small, "target_seconds": 0.02,
                 "note": "mobi data, path scheme, tol 1e-10"})
    peer = _seminr_fit(mobi, ECSI_MOBI_BLOCKS)
    if peer is not None:
        peer_small = timed(peer, 5).seconds
        rows.append({"benchmark": "seminr estimate_pls, 250 respondents", "seconds": peer_small,
                     "target_seconds": None, "note": f"crmlab is {peer_small / small:.1f}× faster"})
    big = index_survey(100_000, seed=1)
    big_model = ECSI.path_model(big.truth["blocks"])
    large = timed(lambda: big_model.fit(big.responses), 3).seconds
    rows.append({"benchmark": "PathModel ECSI, 100,000 respondents", "seconds": large, "target_seconds": 2.0,
                 "note": "synthetic Likert survey, 24 items"})
    peer = _seminr_fit(big.responses, big.truth["blocks"])
    if peer is not None:
        peer_large = timed(peer).seconds
        rows.append({"benchmark": "seminr estimate_pls, 100,000 respondents", "seconds": peer_large,
                     "target_seconds": None, "note": f"crmlab is {peer_large / large:.1f}× faster"})
    fitted = model.fit(mobi)
    boot = timed(lambda: fitted.bootstrap(n=500, seed=0)).seconds
    rows.append({"benchmark": "PathModel bootstrap, 500 resamples × 250", "seconds": boot, "target_seconds": 5.0,
                 "note": "percentile CIs for paths, loadings, weights"})
    try:
        import seminr
        fitted_peer = _seminr_fit(mobi, ECSI_MOBI_BLOCKS)()
        peer_boot = timed(lambda: seminr.bootstrap_model(fitted_peer, nboot=500, seed=0, cores=1)).seconds
        rows.append({"benchmark": "seminr bootstrap_model, 500 resamples", "seconds": peer_boot,
                     "target_seconds": None, "note": f"crmlab is {peer_boot / boot:.1f}× faster"})
    except ImportError:
        pass
    return rows


def main() -> None:
    rows = run()
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
