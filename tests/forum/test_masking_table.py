"""Personal data masking on a table of real-looking text (issue 11, item 5).

Positives: what must be hidden, with the exact expected output. Negatives: technical
text that must stay as written (versions, error codes, dates, IPs, sizes, build numbers).
"""

from __future__ import annotations

import pytest

from forum.masking import luhn_valid, mask_personal_data

E, P, C, ORD = "[email hidden]", "[phone hidden]", "[card number hidden]", "[order number hidden]"

POSITIVE = [
    # email addresses
    ("mail me at jane.doe+bd@gmail.com please", f"mail me at {E} please"),
    ("alice@example.com", E),
    ("<alice@example.com>", f"<{E}>"),
    ("contact: first_last@mail.example.co.uk.", f"contact: {E}."),
    ("ALICE@EXAMPLE.COM", E),
    ("dave@exa**mple**.com", E),
    ("**dave@example.com**", f"**{E}**"),
    ("`dave@example.com`", f"`{E}`"),
    ("dave@_example_.com", E),
    ("alice\uff20example.com", E),
    ("alice\ufe6bexample.com", E),
    ("alice@example\uff0ecom", E),
    ("alice at example dot com", E),
    ("alice AT example DOT com", E),
    ("alice[at]example[dot]com", E),
    ("alice [at] example [dot] com", E),
    ("alice(at)example(dot)co(dot)uk", E),
    ("alice (at) mail (dot) example (dot) org", E),
    ("write to alice{at}example{dot}net today", f"write to {E} today"),
    ("alice <at> example <dot> io", E),
    ("[write us](mailto:help@brightdesk.example)", f"[write us](mailto:{E})"),
    # phone numbers
    ("call +44 20 7946 0958", f"call {P}"),
    ("call +1 (555) 123-4567 today", f"call {P} today"),
    ("+49 30 901820", P),
    ("+33 1 23 45 67 89", P),
    ("+1.555.123.4567", P),
    ("(555) 123-4567", P),
    ("(555) 123 4567", P),
    ("555-123-4567", P),
    ("555 123 4567", P),
    ("555.123.4567", P),
    ("my number is 555.123.4567.", f"my number is {P}."),
    ("020 7946 0958", P),
    ("0171-234-5678", P),
    ("555-**123**-4567", P),
    ("call me on 5551234567", f"call me on {P}"),
    ("phone: 5551234567", f"phone: {P}"),
    ("my mobile is 07700900123", f"my mobile is {P}"),
    ("text me at 5551234567 after 5pm", f"text me at {P} after 5pm"),
    ("WhatsApp 15551234567", f"WhatsApp {P}"),
    # payment cards (Luhn-valid test numbers)
    ("card 4111 1111 1111 1111 was charged twice", f"card {C} was charged twice"),
    ("4111-1111-1111-1111", C),
    ("4111111111111111", C),
    ("5500 0000 0000 0004", C),
    ("amex 3782 822463 10005", f"amex {C}"),
    ("6011000990139424", C),
    ("4222222222222", C),
    ("**4111** 1111 1111 1111", f"**{C}"),  # markers inside the number go with it
    # order numbers
    ("my order #BD-2026-118842 failed", f"my order {ORD} failed"),
    ("Order number: A1B2C3D4", f"Order number: {ORD}"),
    ("invoice no. 99812", f"invoice no. {ORD}"),
    ("My order number is BD-2026-118842.", f"My order number is {ORD}."),
    ("receipt id 7731-ZX", f"receipt id {ORD}"),
    ("order was 55123", f"order was {ORD}"),
]

NEGATIVE = [
    "version 4.2.1",
    "Brightdesk 4.2.0 on Windows 11",
    "ip 192.168.100.200",
    "server 10.0.0.254 port 8443",
    "at 2024-05-01 12:30",
    "on 01/05/2024 at 09:15",
    "2026-11-30T12:30:00Z",
    "error 0x80070643",
    "error code 0xC004F074",
    "HRESULT 2147942402",
    "error 1603",
    "exit code 3221225477",
    "in order to fix it",
    "order 12",
    "sort order 3",
    "build 20240501",
    "build 4.2.0.18842",
    "timestamp 1700000000",
    "unix time 1732969800 in the log",
    "about 1,000,000 notes",
    "10^6 requests",
    "1e9 bytes",
    "uses 2048 MB of RAM",
    "a 3840x2160 screen",
    "resolution 1920 x 1080",
    "files 1 2 3 4 5 6 7",
    "look at the dot product",
    "meet at noon",
    "I looked at it for hours",
    "Notes at a glance",
    "email is not arriving",
    "the @mention does not notify",
    "@alice can you check?",
    "user@localhost",
    "git@github",
    "python -m pip install onefix==1.2.3",
    "https://example.com/path?id=12345",
    "sha 3f786850e387550fdab836ed7e6dc881de23001b",
    "uuid 123e4567-e89b-12d3-a456-426614174000",
    "1234 5678 9012 3456",
    "ISBN 978-3-16-148410-9",
    "serial 1234567890123",
    "between 555 and 1234",
    "room 101 floor 3",
    "chapter 2.3.1",
    "v1.2.3-beta.4",
    "Android 14, app 4.1.3",
    "iOS 17.2.1 (21C66)",
    "the phone restarts after 30 seconds",
    "call stack depth 1000",
    "number of notes: 12",
    "5 people, 3 teams",
    "1999-2026",
    "4.2.1 -> 4.2.2",
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE)
def test_personal_data_is_masked(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize("text", NEGATIVE)
def test_technical_text_is_left_as_written(text):
    assert mask_personal_data(text) == text


def test_card_numbers_need_the_luhn_check():
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert mask_personal_data("4111 1111 1111 1112") == "4111 1111 1111 1112"


def test_no_personal_data_reaches_the_page_or_its_meta_description(client, alice, db):
    """Issue 11: unmasked text also reached the page's meta description."""
    from forum import actions
    from forum.models import Category

    category = Category.objects.create(name="Billing", slug="billing", position=1)
    body = ("Charged twice. Call 555.123.4567 or 5551234567, mail alice at example dot com or "
            "dave@exa**mple**.com; card 4111 1111 1111 1111.")  # fmt: skip
    thread = actions.create_thread(alice, "Charged twice for one order", body, category)
    html = client.get(thread.get_absolute_url()).content.decode()
    for secret in ("555.123.4567", "5551234567", "alice at example", "exa**mple", "mple</strong>.com",
                   "4111 1111"):  # fmt: skip
        assert secret not in html
    description = html.split('<meta name="description" content="', 1)[1].split('"', 1)[0]
    assert "[phone hidden]" in description and "[card number hidden]" in description
