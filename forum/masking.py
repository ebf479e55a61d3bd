"""Personal data masking: email addresses, phone numbers, payment cards and order numbers.

PRODUCT.md: "email addresses, phone numbers and order numbers are masked in public
posts". Masking runs on the Markdown source before anything is stored, so the stored
text, its HTML, the search index, meta descriptions, feeds and emails never hold what
was masked.

How it finds things:
- It looks at a *shadow* of the text with Markdown's inline markers (`*`, `_`, `~`,
  backticks) taken out, so "dave@exa**mple**.com" or "555-**123**-4567" cannot slip
  through by formatting. Each find is mapped back to its span in the original text,
  and that whole span is replaced.
- Emails: the usual form, a full-width or small at sign ("alice" + U+FF20 + "example.com"), and
  spelled-out forms ("alice at example dot com", "alice[at]example[dot]com",
  "alice (at) example (dot) com"); the spelled-out forms need a known top-level domain
  after "dot", so "look at the dot product" stays.
- Payment cards: 13-19 digits, with single spaces or dashes between them, that pass the
  Luhn check.
- Phones: international (+CC …), (555) 123-4567, 555-123-4567, 555 123 4567, 555.123.4567,
  national numbers with a leading 0 (020 7946 0958); and a bare run of 10-11 digits
  (5551234567) only when a word like "call", "phone" or "number" comes just before it,
  so error codes (2147942402) and timestamps stay.
- Order numbers: "order", "invoice" or "receipt", optionally "number"/"no."/"id",
  "is"/"was", ":", then a code of 5+ letters/digits/dashes with at least one digit.

Every pattern runs in linear time: no two repeated parts can match the same text, and
the separators are atomic groups or possessive quantifiers (the old order pattern,
four optional `\\s*` in a row, took 21 s for "order" and 300 spaces - issue 11).
tests/forum/test_markdown_worst_case.py feeds each pattern 20,000-character
adversarial strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

EMAIL_MASK = "[email hidden]"
PHONE_MASK = "[phone hidden]"
CARD_MASK = "[card number hidden]"
ORDER_MASK = "[order number hidden]"

_MARKDOWN_INLINE = frozenset("*_~`")
_AT = "@\uff20\ufe6b"  # @, the full-width at sign, the small at sign
_DOT = ".\uff0e\u3002"  # ., the full-width full stop, the ideographic full stop

EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]++[{_AT}][A-Za-z0-9-]++(?:[{_DOT}][A-Za-z0-9-]++)++(?<=[A-Za-z]{{2}})(?![\w-])"
)
# A spelled-out address needs a dot and a top-level domain that exists, so ordinary
# sentences ("look at the dot product") are left alone.
_TLDS = (
    "com|net|org|edu|gov|io|co|uk|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|pt|ie|ca|us|au|nz|jp|cn|in|br|mx"
    "|ru|info|biz|me|dev|app|example"
)
_WORD_AT = r"(?:\s*+[\[\(\{<]\s*+at\s*+[\]\)\}>]\s*+|\s++at\s++)"
_WORD_DOT = r"(?:\s*+[\[\(\{<]\s*+dot\s*+[\]\)\}>]\s*+|\s++dot\s++)"
SPELLED_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]++{_WORD_AT}[A-Za-z0-9-]++(?:{_WORD_DOT}[A-Za-z0-9-]++)*?{_WORD_DOT}(?:{_TLDS})\b(?!{_WORD_DOT}[A-Za-z])",
    re.IGNORECASE,
)
CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])")
PHONE = re.compile(
    r"""
    (?<![\w+.])(?:
        \+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}\d          # +44 20 7946 0958, +1 (555) 123-4567
      | \(\d{3}\)[ -]?\d{3}[ .-]\d{4}                    # (555) 123-4567
      | \d{3}-\d{3}-\d{4} | \d{3}\ \d{3}\ \d{4}          # 555-123-4567, 555 123 4567
      | \d{3}\.\d{3}\.\d{4}                              # 555.123.4567
      | 0\d{2,4}[ -]\d{3,4}[ -]?\d{3,4}                  # 020 7946 0958, 0171-234-5678
    )(?![\w-]|\.\d)
    """,
    re.VERBOSE,
)
# 5551234567 is a phone number after "call me on"; after "error" it is an error code.
BARE_PHONE = re.compile(
    r"\b(?:call|phone|tel|telephone|mobile|cell|cellphone|number|text|sms|whatsapp|reach|ring|contact)"
    r"\b[^\w\n]{0,3}+(?:\w++[^\w\n]{1,3}+){0,3}?(?P<num>(?<!\d)\d{10,11}(?!\d))",
    re.IGNORECASE,
)
ORDER = re.compile(
    r"\b(?P<word>order|invoice|receipt)"
    r"(?P<sep>(?>\s*+(?:(?:(?:number|id)\b|no\b\.?)\s*+)?(?:(?:is|was)\b\s*+)?:?\s*+))"
    r"(?P<num>#?(?=[A-Z-]*+\d)[A-Z0-9][A-Z0-9-]{4,})\b",
    re.IGNORECASE,
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


Find = tuple[int, int, str]  # start, end (in the shadow), mask


def _whole(pattern: re.Pattern, mask: str, keep: Callable[[re.Match], bool] | None = None):
    def find(shadow: str) -> Iterator[Find]:
        for m in pattern.finditer(shadow):
            if keep is None or keep(m):
                yield m.start(), m.end(), mask

    return find


def _group(pattern: re.Pattern, group: str, mask: str):
    def find(shadow: str) -> Iterator[Find]:
        for m in pattern.finditer(shadow):
            yield m.start(group), m.end(group), mask

    return find


# Earlier finders win where two overlap: a card number is not also a phone number.
_FINDERS = (
    _whole(EMAIL, EMAIL_MASK),
    _whole(SPELLED_EMAIL, EMAIL_MASK),
    _whole(CARD, CARD_MASK, keep=lambda m: luhn_valid(_digits(m.group(0)))),
    _group(ORDER, "num", ORDER_MASK),
    _whole(PHONE, PHONE_MASK, keep=lambda m: len(_digits(m.group(0))) >= 9),
    _group(BARE_PHONE, "num", PHONE_MASK),
)


def _shadow(text: str) -> tuple[str, list[int]]:
    """The text without Markdown inline markers, and where each of its characters was."""
    kept = [(i, ch) for i, ch in enumerate(text) if ch not in _MARKDOWN_INLINE]
    return "".join(ch for _, ch in kept), [i for i, _ in kept]


def mask_personal_data(text: str) -> str:
    """Replace email addresses, phone numbers, payment cards and order numbers with a marker."""
    shadow, where = _shadow(text)
    taken = bytearray(len(shadow))  # what an earlier find already masked
    spans: list[tuple[int, int, str]] = []
    for find in _FINDERS:
        for start, end, mask in find(shadow):
            if start == end or any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            spans.append((where[start], where[end - 1] + 1, mask))
    if not spans:
        return text
    out, last = [], 0
    for start, end, mask in sorted(spans):
        out.append(text[last:start])
        out.append(mask)
        last = end
    out.append(text[last:])
    return "".join(out)
