"""Item-analysis statistics against numbers worked out by hand (no database)."""

import math

import pytest

from assessments import statistics as stats


def test_facility_is_the_mean_score_fraction():
    assert stats.facility([1, 1, 0, 0.5]) == pytest.approx(0.625)
    assert stats.facility([]) is None


def test_point_biserial_of_a_right_or_wrong_item():
    # item [1,1,0,0], totals [4,3,2,1]: deviations ±.5 and 1.5,.5,-.5,-1.5;
    # covariance sum 2, spreads 1 and 5 -> 2 / sqrt(5). The textbook formula agrees:
    # (M1 - M0) / s * sqrt(pq) = (3.5 - 1.5) / sqrt(1.25) * 0.5.
    r = stats.point_biserial([1, 1, 0, 0], [4, 3, 2, 1])
    assert r == pytest.approx(2 / math.sqrt(5))
    assert r == pytest.approx((3.5 - 1.5) / math.sqrt(1.25) * 0.5)


def test_corrected_item_total_leaves_the_item_out():
    # rest = total - item = [3,2,2,1]: deviations 1,0,0,-1; covariance 1, spreads 1, 2.
    assert stats.corrected_item_total([1, 1, 0, 0], [3, 2, 2, 1]) == pytest.approx(
        1 / math.sqrt(2))


def test_negative_discrimination():
    assert stats.point_biserial([0, 0, 1, 1], [4, 3, 2, 1]) == pytest.approx(-2 / math.sqrt(5))


def test_partial_credit_is_pearson():
    # item [1, .5, 0], totals [2, 2, 0]: means .5 and 4/3; deviations (.5, 0, -.5) and
    # (2/3, 2/3, -4/3); covariance 1/3 + 2/3 = 1; spreads .5 and 8/3.
    assert stats.point_biserial([1, 0.5, 0], [2, 2, 0]) == pytest.approx(
        1 / math.sqrt(0.5 * 8 / 3))


@pytest.mark.parametrize(("item", "totals"), [
    ([], []), ([1], [3]),  # fewer than two attempts
    ([1, 1, 1], [1, 2, 3]),  # everyone right: the item does not vary
    ([1, 0, 1], [2, 2, 2]),  # the totals do not vary
])
def test_undefined_discrimination_is_none(item, totals):
    assert stats.point_biserial(item, totals) is None


def test_lengths_must_agree():
    with pytest.raises(ValueError):
        stats.point_biserial([1, 0], [1])


def test_bands_of_ten_percent():
    result = stats.bands([0, 9.99, 10, 55, 59.5, 90, 100, 100])
    assert [band.count for band in result] == [2, 1, 0, 0, 0, 2, 0, 0, 0, 3]
    assert (result[0].low, result[0].high, result[-1].label) == (0, 10, "90-100%")
    assert sum(band.count for band in stats.bands([])) == 0


def test_mean_and_median():
    assert stats.mean([40, 60, 80, 100]) == 70
    assert stats.median([40, 60, 80, 100]) == 70
    assert stats.median([10, 90, 20]) == 20
    assert stats.mean([]) is None and stats.median([]) is None
