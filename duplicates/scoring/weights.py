"""Weights and threshold of the duplicate scorer (generated: do not edit by hand).

Obtained on 2026-11-23 with:
    python manage.py fit_duplicates ../shared/data/semeval2016-task3b-train --write
i.e. pairwise logistic regression (RankNet, linear) with L2 = 1.0 on standardised
features, over every (positive, negative) candidate pair of each training query; the
weights are mapped back onto the raw features. THRESHOLD maximises the F1 of the
is-duplicate decision over the training pairs. Train MAP: 77.92 in sample, 77.45 in 5-fold
cross-validation over queries (4 repeats). No dev label was used.

same_category and shared_tags are NOT fitted (the packs have no category or tags for
the query); they are set by hand to a moderate nudge and are unvalidated.
"""

WEIGHTS = {
    "bm25": 8.094455,
    "search_rank": 6.370339,
    "centrality": 12.309616,
    "title_coverage": 1.526442,
    "same_category": 0.500000,  # hand-set, see above
    "shared_tags": 1.000000,  # hand-set, see above
}
THRESHOLD = 1.826545
