"""The ranking metrics on hand-made rankings, with every value worked out by hand.

T = a positive candidate, F = a negative one, listed in system order.
"""

from __future__ import annotations

import pytest

from duplicates.scoring import metrics

T, F = True, False

R1 = [T, F, T, F, F]  # positives at ranks 1 and 3
R2 = [F, T, F, F, T]  # positives at ranks 2 and 5
R3 = [F, F, F, F, F]  # no positive at all


def test_average_precision_is_mean_precision_at_each_positive():
    # R1: P@1 = 1/1, P@3 = 2/3 -> (1 + 0.6667) / 2 = 0.8333
    assert metrics.average_precision(R1) == pytest.approx((1 + 2 / 3) / 2)
    # R2: P@2 = 1/2, P@5 = 2/5 -> (0.5 + 0.4) / 2 = 0.45
    assert metrics.average_precision(R2) == pytest.approx(0.45)


def test_query_without_positive_has_zero_ap_and_still_counts_in_map():
    assert metrics.average_precision(R3) == 0.0
    # (0.8333 + 0.45 + 0) / 3 = 0.42778, not (0.8333 + 0.45) / 2
    assert metrics.mean_average_precision([R1, R2, R3]) == pytest.approx((5 / 6 + 0.45) / 3)


def test_only_the_top_ten_count():
    late = [F] * 10 + [T]  # the only positive at rank 11
    assert metrics.average_precision(late) == 0.0
    assert metrics.reciprocal_rank(late) == 0.0


def test_mrr_uses_first_positive_and_zero_when_none():
    # 1/1, 1/2, 0 -> 1.5 / 3 = 0.5
    assert metrics.mean_reciprocal_rank([R1, R2, R3]) == pytest.approx(0.5)


def test_precision_at_k_averages_over_all_queries():
    # P@1: 1, 0, 0 -> 1/3.  P@5: 2/5, 2/5, 0 -> 0.8/3 = 0.26667
    assert metrics.mean_precision_at([R1, R2, R3], 1) == pytest.approx(1 / 3)
    assert metrics.mean_precision_at([R1, R2, R3], 5) == pytest.approx(0.8 / 3)


def test_average_recall_is_official_avg_acc1():
    # Depth 5 over R1, R2 (2 positives each) and R3 (none):
    # k=1: found 1+0 = 1, possible min(1,2)+min(1,2)+0 = 2 -> 0.5
    # k=2: found 1+1 = 2, possible 2+2 = 4 -> 0.5
    # k=3: found 2+1 = 3 / 4 -> 0.75;  k=4: 3/4 -> 0.75;  k=5: 4/4 -> 1.0
    # mean = (0.5 + 0.5 + 0.75 + 0.75 + 1.0) / 5 = 0.7
    assert metrics.average_recall([R1, R2, R3], depth=5) == pytest.approx(0.7)
    # At the official depth 10 the cut-offs 6..10 each add 4/4: (3.5 + 5) / 10 = 0.85
    assert metrics.average_recall([R1, R2, R3]) == pytest.approx(0.85)


def test_average_recall_counts_positives_beyond_the_cutoff_as_the_official_scorer_does():
    # 12 candidates, positives at ranks 1 and 12. k=1: 1/min(1,2) = 1;
    # k=2..10: 1/min(k,2) = 0.5 each -> (1 + 9 * 0.5) / 10 = 0.55
    ranking = [T] + [F] * 10 + [T]
    assert metrics.average_recall([ranking]) == pytest.approx(0.55)


def test_ranking_sorts_by_descending_score():
    assert metrics.rank_by_score([F, T, F], [0.1, 0.9, 0.5]) == [T, F, F]


def test_ties_keep_the_shipped_order():
    # Equal scores must not favour the positive: the shipped order stands.
    assert metrics.rank_by_score([F, T], [0.5, 0.5]) == [F, T]
    assert metrics.rank_by_score([T, F, F], [1.0, 1.0, 1.0]) == [T, F, F]
    # Only the tied pair keeps its order; the higher score still goes first.
    assert metrics.rank_by_score([F, F, T], [0.2, 0.2, 0.3]) == [T, F, F]


def test_ranking_refuses_mismatched_lengths():
    with pytest.raises(ValueError):
        metrics.rank_by_score([T, F], [1.0])


def test_report_gives_percentages_with_two_decimals():
    report = metrics.evaluate([R1, R2, R3])
    assert report.as_percentages() == {
        "MAP": 42.78,  # 0.427778
        "MRR": 50.0,
        "AvgRec": 85.0,
        "P@1": 33.33,
        "P@5": 26.67,
    }
    assert report.queries == 3
