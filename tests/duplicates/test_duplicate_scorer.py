"""The duplicate scorer on small made-up threads, and its fit."""

from __future__ import annotations

import pytest

from duplicates.scoring import fit, text, weights
from duplicates.scoring.scorer import CorpusStats, ThreadText, candidate_features, score_candidates

QUERY = ThreadText(
    "q",
    "How do I reset my wifi router password?",
    "I forgot the admin password of my home router and cannot change the wifi settings.",
)
PARAPHRASE = ThreadText(
    "same",
    "Forgot router admin password - reset?",
    "Lost the password for the admin page of the router. How can I reset it to change wifi?",
)
UNRELATED = [
    ThreadText("beach", "Best beach for a weekend picnic", "Looking for a quiet beach with shade near Doha."),
    ThreadText("sofa", "Where to buy a cheap sofa", "Any shop selling second hand furniture, sofa or bed?"),
    ThreadText("visa", "Family visa processing time", "How long does the family residence visa take?"),
]
BACKGROUND = [
    ThreadText("b1", "Driving licence transfer", "Can I transfer my licence from India?"),
    ThreadText("b2", "Good school for kids", "Which school has a good curriculum for my kids?"),
    ThreadText("b3", "Internet speed is slow", "My home internet is slow in the evening."),
]


def stats_for(*threads: ThreadText) -> CorpusStats:
    return CorpusStats.from_threads([*threads, *BACKGROUND])


def test_terms_are_stemmed_lowercased_and_free_of_stop_words_and_entities():
    assert text.terms("The VACCINATIONS I&#39;m booking") == ["vaccin", "book"]
    assert text.terms("vaccination") == text.terms("Vaccinations")


def test_paraphrase_scores_above_unrelated_threads():
    candidates = [*UNRELATED, PARAPHRASE]
    stats = stats_for(QUERY, *candidates)
    # Equal search ranks: the text alone decides.
    results = score_candidates(QUERY, candidates, stats, ranks=[1] * len(candidates))
    best = max(results, key=lambda r: r.score)
    assert best.candidate.id == "same"
    assert all(r.score < best.score for r in results if r.candidate.id != "same")


def test_paraphrase_wins_even_when_the_search_engine_put_it_lower():
    candidates = [UNRELATED[0], UNRELATED[1], PARAPHRASE, UNRELATED[2]]
    results = score_candidates(QUERY, candidates, stats_for(QUERY, *candidates))
    assert max(results, key=lambda r: r.score).candidate.id == "same"


def test_same_category_and_shared_tags_raise_the_score():
    query = ThreadText("q", "Printer shows error 42", "It stops after one page.", ("printer",), "Hardware")
    plain = ThreadText("a", "Printer error 42 after one page", "Same here.")
    in_category = ThreadText("b", "Printer error 42 after one page", "Same here.", category="Hardware")
    tagged = ThreadText("c", "Printer error 42 after one page", "Same here.", tags=("Printer",))
    other = ThreadText("d", "Printer error 42 after one page", "Same here.", ("scanner",), "Software")
    candidates = [plain, in_category, tagged, other]
    scores = {
        r.candidate.id: r.score
        for r in score_candidates(query, candidates, stats_for(query, *candidates), ranks=[1, 1, 1, 1])
    }
    assert scores["b"] > scores["a"]
    assert scores["c"] > scores["a"]  # tags compare without case
    assert scores["d"] == pytest.approx(scores["a"])  # a different category or tag is no evidence


def test_results_keep_candidate_order_and_flag_duplicates_by_threshold():
    candidates = [*UNRELATED, PARAPHRASE]
    stats = stats_for(QUERY, *candidates)
    results = score_candidates(QUERY, candidates, stats)
    assert [r.candidate.id for r in results] == ["beach", "sofa", "visa", "same"]
    assert all(r.is_duplicate == (r.score >= weights.THRESHOLD) for r in results)
    middle = sorted(r.score for r in results)[2]
    strict = score_candidates(QUERY, candidates, stats, threshold=middle)
    assert [r.is_duplicate for r in strict] == [r.score >= middle for r in results]


def test_missing_ranks_default_to_the_given_order():
    candidates = [*UNRELATED, PARAPHRASE]
    stats = stats_for(QUERY, *candidates)
    assert candidate_features(QUERY, candidates, stats) == candidate_features(
        QUERY, candidates, stats, ranks=[1, 2, 3, 4]
    )
    with pytest.raises(ValueError):
        candidate_features(QUERY, candidates, stats, ranks=[1, 2])


def test_empty_texts_and_empty_lists_score_without_error():
    empty = ThreadText("e", "", "")
    stats = stats_for(QUERY, empty)
    assert score_candidates(QUERY, [], stats) == []
    (result,) = score_candidates(empty, [QUERY], stats)
    assert result.features["bm25"] == 0.0
    (result,) = score_candidates(QUERY, [empty], CorpusStats())
    assert result.features["bm25"] == 0.0


def test_rare_terms_weigh_more_than_common_ones():
    stats = CorpusStats.from_threads(
        [ThreadText(str(i), "visa question", "visa" if i else "passport") for i in range(10)]
    )
    assert stats.idf("passport") > stats.idf("visa")
    assert stats.idf("never-seen") >= stats.idf("passport")


def test_pairwise_fit_learns_which_feature_separates_positives():
    # Within each query the positive has the higher "good" value; "noise" is random-ish.
    examples = []
    for q in range(12):
        for c in range(4):
            relevant = c == q % 4
            good = 0.8 if relevant else 0.2 + 0.1 * c
            noise = ((q * 7 + c * 3) % 5) / 5
            examples.append(fit.Example(q, {"good": good, "noise": noise}, relevant))
    model = fit.fit(examples, ["good", "noise"], "pairwise")
    assert model.weights["good"] > 0
    assert abs(model.weights["noise"]) < model.weights["good"]
    assert fit.rankings(examples, model) == [[True, False, False, False]] * 12
