"""Saved replies' placeholders (docs/desk.md#saved-replies), filled in for one thread.

- `{asker}`: the display name of the person who asked (the name the forum shows);
- `{article:<address>}`: a Markdown link `[Article title](SITE_URL/kb/<address>/)` to a
  published knowledge-base article; the address is the last part of the article's URL
  (a pasted URL, or an address the article had before, works too).

Saving a reply refuses any other word in braces and an article that is not published
(`problems`), so a typo never reaches a customer. An article archived after the reply
was saved is left in the text as it is, visibly, and the replies page and the thread
page say so (`Expanded.left`).

The expanded text is computed here, on the server, for the thread being answered; the
page carries it as autoescaped text for static/js/desk.js to insert, and the no-JS link
(`?reply=<id>`) puts it in the answer box through forum.hooks' answer prefill.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

from kb.models import Article, ArticleSlug

# A word in braces, optionally followed by ":" and an argument: {asker}, {article:sync-fix}.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_-]*)(?::([^{}\n]*))?\}")
HOW = "use {asker} or {article:address}"
# Characters a display name could use to start Markdown formatting (CommonMark escapes them).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~|#])")


@dataclass(frozen=True)
class ArticleLink:
    title: str
    url: str

    @property
    def markdown(self) -> str:
        title = self.title.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        return f"[{title}]({self.url})"


@dataclass
class Expanded:
    """A saved reply filled in for a thread: `text` to insert; `left`, the placeholders
    that could not be filled and stay in the text as they were, with why."""

    text: str
    left: list[str] = field(default_factory=list)


def slug_of(argument: str) -> str:
    """The article address in `{article:...}`: the address itself, or the one in a pasted
    URL (…/kb/<address>/)."""
    argument = argument.strip()
    if "/kb/" in argument:
        argument = argument.split("/kb/", 1)[1]
    return argument.strip("/").split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]


def article_slugs(texts: Iterable[str]) -> set[str]:
    return {
        slug_of(m.group(2))
        for text in texts
        for m in PLACEHOLDER.finditer(text)
        if m.group(1) == "article" and m.group(2) and slug_of(m.group(2))
    }


def published_articles(slugs: Iterable[str]) -> dict[str, ArticleLink]:
    """Published articles by address, old addresses included: one query, a second only
    when an address is not a current one."""
    slugs = set(slugs)
    if not slugs:
        return {}
    found = {
        slug: ArticleLink(title, settings.SITE_URL + Article(slug=slug).get_absolute_url())
        for slug, title in Article.objects.published().filter(slug__in=slugs).values_list("slug", "title")
    }
    if missing := slugs - set(found):
        moved = ArticleSlug.objects.filter(slug__in=missing, article__status=Article.Status.PUBLISHED)
        for old, slug, title in moved.values_list("slug", "article__slug", "article__title"):
            found[old] = ArticleLink(title, settings.SITE_URL + Article(slug=slug).get_absolute_url())
    return found


def no_article(slug: str) -> str:
    return f"No published article with the address “{slug}”."


def problems(text: str) -> list[str]:
    """What stops a reply text from being saved, in words for the person writing it."""
    found: list[str] = []
    slugs: list[str] = []
    for m in PLACEHOLDER.finditer(text):
        name, argument = m.group(1), m.group(2)
        if name == "asker" and argument is None:
            continue
        if name == "article" and argument is not None:
            if slug := slug_of(argument):
                slugs.append(slug)
            else:
                found.append(f"“{m.group(0)}” needs the address of an article after “article:”.")
            continue
        found.append(f"“{m.group(0)}” is not a placeholder: {HOW}.")
    articles = published_articles(slugs)
    found += [no_article(slug) for slug in dict.fromkeys(slugs) if slug not in articles]
    return list(dict.fromkeys(found))


def escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def expand(text: str, *, asker: str, articles: dict[str, ArticleLink]) -> Expanded:
    """Fill in the placeholders; anything that cannot be filled stays as it is, and
    `left` says so."""
    left: list[str] = []

    def fill(m: re.Match) -> str:
        name, argument = m.group(1), m.group(2)
        if name == "asker" and argument is None:
            return escape_markdown(asker)
        if name == "article" and argument is not None:
            slug = slug_of(argument)
            if slug in articles:
                return articles[slug].markdown
            left.append(no_article(slug) + " It is left in the text as it is.")
            return m.group(0)
        left.append(f"“{m.group(0)}” is not a placeholder and is left in the text as it is.")
        return m.group(0)

    return Expanded(PLACEHOLDER.sub(fill, text), list(dict.fromkeys(left)))


def expand_for_thread(replies, thread) -> list[tuple[object, Expanded]]:
    """Each reply filled in for `thread` (whose author is loaded): one query for the
    articles they name, none when they name none."""
    replies = list(replies)
    articles = published_articles(article_slugs(r.body_md for r in replies))
    asker = thread.author.display_name
    return [(reply, expand(reply.body_md, asker=asker, articles=articles)) for reply in replies]


def unavailable(replies) -> dict[int, list[str]]:
    """For the replies page: per reply id, the articles it names that are no longer
    published (one query for all of them)."""
    replies = list(replies)
    articles = published_articles(article_slugs(r.body_md for r in replies))
    out: dict[int, list[str]] = {}
    for reply in replies:
        gone = [slug for slug in sorted(article_slugs([reply.body_md])) if slug not in articles]
        if gone:
            out[reply.pk] = [no_article(slug) for slug in gone]
    return out
