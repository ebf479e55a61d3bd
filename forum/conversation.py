"""A staff reply -> the start of an article: the conversation around the fix left out.

A reply is written to one person ("Hi Tom,", "Thanks for the clear report, Nora.",
"Hope this helps! Best, Mia"); an article is read by everyone with the problem and
starts from the fix. `strip_conversation` removes, and only removes:

- at the start: greetings ("Hi Tom,", "Hello Nora!", "Hey there —"), thanks addressed
  to the asker ("Thanks for the details, …", "Thank you so much for reaching out!")
  and apologies ("Sorry to hear that…", "I'm sorry for the trouble."), one after the
  other; when one is a clause ("Thanks for the details, this is a known bug"), the rest
  of the sentence stays and gets its capital letter back;
- at the end: sign-offs ("Hope this helps!", "Let me know if that works.", "Best,
  Mia", "Cheers", "— Mia"), as a paragraph or as the last sentence of one.

It leaves sentences about the product alone ("Thanks to the new sync engine, …",
"Hi-DPI screens: …", "Sorry, the exporter cannot …" — a "sorry" that carries the
answer), and lists, headings and code, which never start with these words. A reply
that is nothing but conversation comes back unchanged: there is no fix to start from.
Pure text in, text out; tests/kb/test_promote_text.py holds the table of replies.
It lives in forum (it knows only text) so that kb, when it promotes an answer, and the
emails that quote an answer to people other than its asker (forum.notifications.
answer_excerpt) use the same rules.
"""

from __future__ import annotations

import re

# A name as people write it to someone: "Nora", "Ms Smith", "Tom and Nora".
_NAME = r"[A-Z][\w'\u2019.-]*"  # \u2019: the typographic apostrophe
_NAMES = rf"{_NAME}(?:\s+(?:(?:and|&)\s+)?{_NAME}){{0,2}}"
# What ends a greeting or a thanks clause: punctuation or a dash between spaces
# (a hyphen glued to the word is not one: "Hi-DPI").
_DASH = r"\u2014\u2013"  # em and en dash, for character classes
_CLAUSE_END = rf"\s*(?:[,!.:;]+|\s[{_DASH}-]\s?|[{_DASH}]|$)"

_OPENERS = [
    re.compile(p, re.MULTILINE)
    for p in (
        # Hi Tom, / Hello Nora! / Hey there — / Dear Brightdesk team, / Good morning,
        rf"(?i:hi|hello|hey|dear|greetings|good\s+(?:morning|afternoon|evening))"
        rf"(?:\s+(?:(?i:there|all|everyone|folks|team)|{_NAMES}))?{_CLAUSE_END}",
        # Thanks for the clear report, Nora. / Thank you so much for reaching out! / Thanks,
        rf"(?i:(?:many\s+|big\s+)?(?:thanks|thank\s+you|thx)(?:\s+(?:so|very)\s+much|\s+a\s+lot)?(?:\s+again)?)"
        rf"(?:\s+(?i:for)\s+[^,.!?;:\n{_DASH}]+)?(?:,\s*{_NAMES}(?=\s*[.!,:;{_DASH}]|\s*$))?{_CLAUSE_END}",
        # Sorry to hear that… / I'm so sorry for the trouble. / Sorry about the wait, …
        r"(?i:(?:(?:i'?m|i\s+am|we'?re|we\s+are)\s+)?(?:so\s+|very\s+|really\s+)?sorry\s+"
        r"(?:to\s+hear|for|about|you|that)\b)[^,.!?…\n]*(?:[,.!?…]+|$)",
        # Apologies for the delay. / Great question! / Good catch, Tom.
        r"(?i:(?:my\s+|our\s+)?apologies)\b[^,.!?…\n]*(?:[,.!?…]+|$)",
        rf"(?i:(?:great|good|excellent)\s+(?:question|catch|find))(?:,\s*{_NAMES})?\s*[.!]+",
    )
]

# A sign-off: the whole of the text's last sentence or lines.
_CLOSERS = (
    r"(?i:(?:i\s+)?hope\s+(?:this|that|it)\s+helps?)\b[^\n.!?]*[.!…]*(?:\s*(?::-?\)|🙂|😊))?",
    r"(?i:let\s+(?:me|us)\s+know)\b[^\n.!?]*[.!?…]*",
    r"(?i:feel\s+free\s+to\s+(?:reach\s+out|ask|get\s+in\s+touch|write|reply))\b[^\n.!?]*[.!…]*",
    r"(?i:have\s+a\s+(?:great|good|nice|lovely)\s+(?:day|week|weekend|one))[.!]*",
    r"(?i:happy\s+(?:to\s+help|[\w-]+ing))[.!]*",
    r"(?i:(?:thanks|thank\s+you)(?:\s+again)?\s+for)\s[^\n.!?]*[.!]+",
    # Best, Mia / Best regards,\nMia / Cheers / Thanks,\nBob from Brightdesk Support
    r"(?i:best(?:\s+(?:regards|wishes))?|(?:kind|warm|warmest)\s+regards|regards|cheers"
    r"|thanks(?:\s+again)?|thank\s+you|many\s+thanks|all\s+the\s+best|take\s+care)"
    rf"[,.!]*(?:[ \t]*\n?[ \t]*{_NAMES}(?:[ \t]+(?i:from|at)[ \t]+[^\n]{{1,60}})?)?[.!]*",
    rf"(?:[{_DASH}]|--)[ \t]*{_NAMES}",
)
_SIGN_OFF = re.compile(
    rf"(?:\A|\n|(?<=[.!?…])[ \t]+)(?:{'|'.join(_CLOSERS)})\s*\Z",
)


def _capitalize(text: str) -> str:
    """Give a sentence whose first clause was cut its capital back: "this is" -> "This is",
    but not "iOS 17" or "`brightdesk --reset`"."""
    match = re.match(r"[a-z]+\b", text)
    if match and not re.match(r"[a-z]+[A-Z0-9]", text):
        return text[0].upper() + text[1:]
    return text


def _strip_openers(text: str) -> str:
    changed = True
    while changed and text:
        changed = False
        for opener in _OPENERS:
            match = opener.match(text)
            if match and match.end() > 0:
                text = text[match.end() :].lstrip()
                changed = True
                break
    return _capitalize(text)


def _strip_sign_offs(text: str) -> str:
    while text:
        match = _SIGN_OFF.search(text)
        if match is None:
            break
        text = text[: match.start()].rstrip()
    return text


def strip_conversation(markdown: str) -> str:
    """The reply without its opening greeting/thanks/apology and its closing sign-off;
    the reply unchanged when that would leave nothing."""
    original = markdown.strip()
    text = _strip_sign_offs(_strip_openers(original))
    return text if text else original
