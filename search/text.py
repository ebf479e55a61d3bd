"""Text helpers shared by the index and the query side: no database here."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from markdown_it import MarkdownIt

# PostgreSQL's English stop words (snowball english.stop). The SQLite backend drops
# the same words from plain query terms, so both backends answer a query alike.
_STOPWORDS_TEXT = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now
    """
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Contractions, written as people type them in a search box: with an apostrophe
# (straight or typographic) or without one ("cant login", "doesnt sync"). Each stands
# for words that are all stop words or carry no topic (can not, does not, I am), so
# the query side drops them like stop words. The index needs no change: both
# tokenizers split "can't" and "can\u2019t" at the apostrophe into "can" + "t" (FTS5)
# or drop the parts as stop words (PostgreSQL), so no query has to match them; and a
# document that spells "cant" keeps its other words, which the query still looks for.
_CONTRACTIONS_TEXT = """
    cant cannot wont dont doesnt didnt isnt arent wasnt werent hasnt havent hadnt
    couldnt shouldnt wouldnt mustnt neednt aint im ive youre youve youll youd theyre
    theyve theyll theyd weve whats thats theres heres hes shes itll
    """
CONTRACTIONS = frozenset(_CONTRACTIONS_TEXT.split())
# Without their apostrophe these are ordinary words ("ill", "well", "id"): dropped only
# when typed with one.
CONTRACTIONS_WITH_APOSTROPHE = frozenset(
    ["ill", "well", "were", "wed", "id", "hed", "shed", "hell", "shell", "its", "lets"]
)
# Apostrophe look-alikes that people and phones type (U+2019, U+2018, U+02BC, U+0060,
# U+00B4) are read as the ASCII apostrophe.
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_CONTRACTION_FORM = re.compile(r"[a-z]+(')?[a-z]*")


def is_contraction(token: str) -> bool:
    """True for a contraction as typed: "cant", "can't", "can\u2019t", "Doesnt", "I'm", "we'll"."""
    form = _CONTRACTION_FORM.fullmatch(token.translate(APOSTROPHES).lower().strip("'\".,;:!?()"))
    if form is None:
        return False
    joined = form.group().replace("'", "")
    return joined in CONTRACTIONS or (form.group(1) is not None and joined in CONTRACTIONS_WITH_APOSTROPHE)


# Control characters (NUL included) cannot be stored by PostgreSQL (NUL) and \x01/\x02
# are our highlight sentinels; they never belong in indexed or queried text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
WORD = re.compile(r"\w+", re.UNICODE)
MAX_BODY_CHARS = 100_000  # PostgreSQL's tsvector limit is 1 MB; a help post is far shorter

_md = MarkdownIt("commonmark", {"html": False})


class _TextExtractor(HTMLParser):
    _BLOCKS = frozenset({"p", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "br"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")


def clean(text: str | None) -> str:
    """Drop control characters and normalise Unicode (NFKC: ligatures, full-width forms)."""
    if not text:
        return ""
    return unicodedata.normalize("NFKC", _CONTROL.sub(" ", text))


def markdown_to_text(source: str) -> str:
    """Plain text of Markdown source: what a reader sees, without `**`, `[..](..)` or `#`.

    Snippets are cut from this text, so they must not show Markdown syntax.
    """
    source = clean(source)[:MAX_BODY_CHARS]
    if not source.strip():
        return ""
    extractor = _TextExtractor()
    extractor.feed(_md.render(source))
    extractor.close()
    text = "".join(extractor.parts)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip()


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def salient_terms(title: str, body: str = "", *, limit: int = 16) -> list[str]:
    """The words most likely to identify what a text is about.

    Title words first (a title is the asker's own summary), then the body's most
    repeated content words. Stop words, numbers and one-letter words carry no topic.
    """
    seen: dict[str, None] = {}

    def useful(word: str) -> bool:
        return len(word) > 1 and word not in STOPWORDS and not word.isdigit() and word not in seen

    for word in words(clean(title)):
        if useful(word):
            seen[word] = None
    counts: dict[str, int] = {}
    for word in words(markdown_to_text(body)[:20_000]):
        if len(word) > 2 and word not in STOPWORDS and not word.isdigit():
            counts[word] = counts.get(word, 0) + 1
    for word, _ in sorted(counts.items(), key=lambda item: -item[1]):
        if len(seen) >= limit:
            break
        if useful(word):
            seen[word] = None
    return list(seen)[:limit]
