"""The duplicate scorer, with no Django in it: text features, the scorer and its weights,
ranking metrics, evaluation packs, fitting and evaluation.

Importable and testable without settings (tests/duplicates/test_scoring_no_django.py
imports it in a fresh interpreter and checks that Django was never imported). The
product calls it from duplicates.linking; the commands evaluate_duplicates and
fit_duplicates call it on packs.
"""
