"""A synthetic but realistic help-desk corpus for the search benchmark.

- Vocabulary: one Zipf law (s = 1.0, the classic value for English) over 30,000
  words ranked like real text: English stop words first (so they make up ~40 %
  of tokens, as in prose), then ~250 real support words (printer, update, wifi…),
  then pronounceable pseudo-words for the long tail. The most common content
  word ("printer") then occurs in ~15 % of thread bodies, as a topic word does
  in a real help forum — not in nearly all of them.
- Titles: 4-12 words (mean ~7) from the same law, sometimes opened by
  "How do I" / "Why does".
- Thread bodies: log-normal length, median ~70 words, long tail to ~1,500.
- Articles (5 %): 250-900 words, published (90 %) or draft.
- 1-4 tags from 300 (Zipf), one of 14 categories; 3 % of threads hidden or spam,
  35 % solved, 30 % answered.

Deterministic for a given seed, so two runs index the same text.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Iterator

from search.index import BOOST_ANSWERED, BOOST_ARTICLE, BOOST_SOLVED, BOOST_UNANSWERED, SearchDocument

_HEAD_TEXT = """
printer offline update install installing installed driver drivers wifi network router connect connection
connecting disconnects bluetooth pair pairing headphones speaker audio sound microphone camera webcam video
screen display monitor flicker flickering black blank resolution brightness battery charge charging charger
drains power cable usb port adapter keyboard mouse trackpad touchpad keys typing laptop desktop tablet phone
app application crash crashes freezes frozen slow lag startup boot reboot restart shutdown sleep wake login
password reset account sign locked email notification notifications sync syncing backup restore cloud storage
files folder upload download share sharing permission permissions access error code message warning failed
fails failure timeout server settings preferences profile language region time zone calendar contacts
subscription billing invoice refund charge payment card renewal cancel plan upgrade downgrade trial license
activation key serial firmware version release beta feature missing broken stuck loading spinner blank page
browser chrome firefox safari edge windows mac macos linux android ios ipad iphone chromebook install uninstall
reinstall setup configure configuration default factory scan scanner paper jam ink toner cartridge tray
queue spooler print printing prints copy fax export import pdf document documents spreadsheet photo photos
image images gallery album print-quality streaks faded colour color alignment calibrate calibration noise
fan overheating hot temperature vibration signal range extender mesh ethernet dns ip address proxy vpn
firewall antivirus security two-factor verification code sms authenticator recovery hacked suspicious
"""
HEAD_WORDS = _HEAD_TEXT.split()

_STOP_TEXT = """the a to and of is it in my i on for with not after when but this that can be from
have does do how why what at or as an was are will there any if me just so"""
STOPWORDS = _STOP_TEXT.split()
TITLE_OPENERS = ["How do I", "Why does", "Can't", "Help:", "Is there a way to", "", "", "", "", ""]
SYLLABLES = [
    c + v for c in "bcdfghjklmnprstvwz" for v in ["a", "e", "i", "o", "u", "ai", "ou", "er", "an", "or"]
]
VOCABULARY_SIZE = 30_000
ZIPF_S = 1.0


class Zipf:
    """Draw items with probability ∝ 1 / rank^s (cumulative table + bisect)."""

    def __init__(self, items: list[str], s: float, rng: random.Random):
        self.items = items
        self.rng = rng
        weights = [1.0 / (rank**s) for rank in range(1, len(items) + 1)]
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self) -> str:
        x = self.rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect_left(self.cumulative, x)]


def pseudo_words(n: int, rng: random.Random, taken: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 3, 4))))
        if word not in taken:
            taken.add(word)
            out.append(word)
    return out


class Corpus:
    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        head = [w for w in dict.fromkeys(HEAD_WORDS) if w not in STOPWORDS]
        ranked = STOPWORDS + head
        vocabulary = ranked + pseudo_words(VOCABULARY_SIZE - len(ranked), self.rng, set(ranked))
        self.words = Zipf(vocabulary, ZIPF_S, self.rng)
        self.tags = Zipf(head[:120] + pseudo_words(180, self.rng, set(vocabulary)), 1.0, self.rng)
        self.categories = [
            ("printers", "Printers"),
            ("network", "Network & Wi-Fi"),
            ("billing", "Billing"),
            ("accounts", "Accounts & sign-in"),
            ("audio", "Audio"),
            ("display", "Display"),
            ("power", "Battery & power"),
            ("apps", "Apps"),
            ("sync", "Sync & backup"),
            ("security", "Security"),
            ("mobile", "Mobile"),
            ("accessories", "Accessories"),
            ("setup", "Setup"),
            ("other", "Other"),
        ]

    def sentence(self, n: int) -> str:
        rng = self.rng
        tokens = [self.words.draw() for _ in range(n)]
        return " ".join(tokens).capitalize() + rng.choice([".", ".", ".", "?", "!"])

    def text(self, n_words: int) -> str:
        sentences, left = [], n_words
        while left > 0:
            n = min(left, self.rng.randint(6, 22))
            sentences.append(self.sentence(n))
            left -= n
        paragraphs, current = [], []
        for sentence in sentences:
            current.append(sentence)
            if self.rng.random() < 0.25:
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
        return "\n\n".join(paragraphs)

    def title(self) -> str:
        opener = self.rng.choice(TITLE_OPENERS)
        n = max(4, min(12, round(self.rng.gauss(7, 2))))
        words = [self.words.draw() for _ in range(n)]
        return " ".join([opener, *words]).strip().capitalize()

    def document(self, i: int, now: dt.datetime) -> SearchDocument:
        rng = self.rng
        is_article = rng.random() < 0.05
        category = rng.choice(self.categories)
        tags = list(dict.fromkeys(self.tags.draw() for _ in range(rng.randint(1, 4))))
        created = now - dt.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        if is_article:
            published = rng.random() < 0.9
            body_words = rng.randint(250, 900)
            kind, solved, public = "article", published, published
            boost = BOOST_ARTICLE
        else:
            body_words = max(8, min(1500, int(rng.lognormvariate(4.25, 0.7))))
            kind = "thread"
            status = rng.random()
            solved = status < 0.35
            public = rng.random() > 0.03
            boost = BOOST_SOLVED if solved else (BOOST_ANSWERED if status < 0.65 else BOOST_UNANSWERED)
        return SearchDocument(
            kind=kind,
            object_id=i,
            title=self.title(),
            body=self.text(body_words),
            tags=tags,
            url=f"/{'kb' if is_article else 'questions'}/{i}/",
            category=category[0],
            category_name=category[1],
            is_public=public,
            solved=solved,
            boost=boost,
            created_at=created,
            updated_at=created,
        )

    def documents(self, n: int, now: dt.datetime) -> Iterator[SearchDocument]:
        for i in range(1, n + 1):
            yield self.document(i, now)
