"""Fisher-Jenks over distinct values weighted by their counts finds the optimum of the plain method."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from geoconflict.render._base import classify
from geoconflict.render._jenks import fisher_jenks_breaks, within_class_ssd


def _skewed(seed: int, size: int) -> np.ndarray:
    rng = np.random.default_rng(seed)  # counts as maps show them: many small, a few large
    return np.concatenate([rng.geometric(0.35, size - 5), rng.integers(20, 90, 5)]).astype(float)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("k", [3, 5])
def test_weighted_breaks_are_as_good_as_mapclassify_over_every_value(seed, k):
    mapclassify = pytest.importorskip("mapclassify")
    data = _skewed(seed, 160)
    unique, counts = np.unique(data, return_counts=True)
    ours = fisher_jenks_breaks(unique, counts, k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = [float(b) for b in mapclassify.FisherJenks(data, k=k).bins]
    assert len(ours) == k and ours == sorted(ours) and ours[-1] == data.max()
    assert within_class_ssd(data, ours) == pytest.approx(within_class_ssd(data, theirs), rel=1e-9, abs=1e-9)


def test_weights_count_like_repeated_values():
    values, counts = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [100, 1, 1, 1, 1, 1]
    repeated = np.repeat(values, counts)
    assert fisher_jenks_breaks(values, counts, 2) == fisher_jenks_breaks(repeated, np.ones(len(repeated)), 2)
    # a hundred ones pull the first class down to {1, 2}; counted once each, 1-3 and 4-6 split evenly
    assert fisher_jenks_breaks(values, counts, 2) == [2.0, 6.0]
    assert fisher_jenks_breaks(values, [1] * 6, 2) == [3.0, 6.0]


def test_bad_class_count_is_refused():
    with pytest.raises(ValueError, match="k=4"):
        fisher_jenks_breaks([1.0, 2.0, 3.0], [1, 1, 1], 4)


def test_classify_keeps_zero_apart_and_orders_classes():
    values = [0, 0, 1, 1, 1, 2, 3, 8, 9, 40, 0, 2]
    classes, items = classify(values, k=3)
    assert [c for v, c in zip(values, classes) if v == 0] == [0, 0, 0]
    ordered = [c for _, c in sorted(zip(values, classes))]
    assert ordered == sorted(ordered) and max(classes) == 3 and items[0]["label"] == "0"
