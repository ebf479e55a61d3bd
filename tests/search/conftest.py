"""Documents for the search tests, pushed straight into the index (search knows no app)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from search.index import BOOST_ARTICLE, BOOST_SOLVED, BOOST_UNANSWERED, SearchDocument, upsert


def put(kind: str, object_id: int, title: str, body: str = "", **kwargs) -> SearchDocument:
    values = {
        "url": f"/{kind}/{object_id}/",
        "created_at": timezone.now() - dt.timedelta(days=object_id),
        "boost": BOOST_ARTICLE if kind == "article" else BOOST_UNANSWERED,
        "solved": kind == "article",
    }
    values.update(kwargs)
    doc = SearchDocument(kind=kind, object_id=object_id, title=title, body=body, **values)
    upsert(doc)
    return doc


@pytest.fixture
def corpus(db):
    """A small help desk: printers, routers, billing; one draft and one hidden thread."""
    docs = [
        put(
            "article",
            1,
            "How to install the printer driver",
            "Download the driver, then run the installer. Restart when the install finishes.",
            tags=["printer", "drivers"],
            category="printers",
            category_name="Printers",
        ),
        put(
            "thread",
            2,
            "Printer shows offline after update",
            "Since the update my printer is offline. I tried to turn off the router and back on.",
            tags=["printer", "wifi"],
            category="printers",
            category_name="Printers",
            solved=True,
            boost=BOOST_SOLVED,
        ),
        put(
            "thread",
            3,
            "Router keeps dropping wifi",
            "The wifi connection drops every hour on Windows. On Mac it is fine.",
            tags=["wifi", "router"],
            category="network",
            category_name="Network",
        ),
        put(
            "thread",
            4,
            "Refund for a double charge",
            "I was billed twice for my subscription this month.",
            tags=["billing"],
            category="billing",
            category_name="Billing",
        ),
        put(
            "article",
            5,
            "Draft: secret roadmap for printers",
            "Unreleased printer firmware plans.",
            tags=["printer"],
            category="printers",
            category_name="Printers",
            is_public=False,
            solved=False,
        ),
        put(
            "thread",
            6,
            "Spam casino printer bonus",
            "Visit casino now.",
            tags=["printer"],
            category="printers",
            category_name="Printers",
            is_public=False,
        ),
    ]
    return {(d.kind, d.object_id): d for d in docs}
