"""schema.org JSON-LD for articles (Article) and solved threads (QAPage).

Built as Python dicts from the same rows the page shows and serialised with
json.dumps; `<`, `>` and `&` are written as \\u escapes, so no text inside can
close the <script> element or start markup.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from forum.markdown import plain_text

_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_ld(data: dict) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    # Safe: json.dumps quoted every string and the escapes above leave no markup characters.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def _person(user) -> dict:
    return {"@type": "Person", "name": user.display_name, "url": settings.SITE_URL + user.get_absolute_url()}


def article_data(article, description: str) -> dict:
    url = settings.SITE_URL + article.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": description,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": (article.published_at or article.created_at).isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "author": _person(article.author),
        "publisher": {"@type": "Organization", "name": "Onefix", "url": settings.SITE_URL + "/"},
        "articleSection": article.category.name,
    }
    tags = [t.name for t in article.tags.all()]
    if tags:
        data["keywords"] = ", ".join(tags)
    return data


def qapage_data(thread, answer) -> dict:
    """A solved thread and the answer that solved it (accepted, else official)."""
    return {
        "@context": "https://schema.org",
        "@type": "QAPage",
        "mainEntity": {
            "@type": "Question",
            "name": thread.title,
            "text": plain_text(thread.body_html),
            "answerCount": thread.answer_count,
            "upvoteCount": thread.me_too_count,
            "dateCreated": thread.created_at.isoformat(),
            "author": _person(thread.author),
            "acceptedAnswer": {
                "@type": "Answer",
                "text": plain_text(answer.body_html),
                "dateCreated": answer.created_at.isoformat(),
                "upvoteCount": answer.helpful_count,
                "url": settings.SITE_URL + thread.get_absolute_url() + f"#post-{answer.pk}",
                "author": _person(answer.author),
            },
        },
    }
