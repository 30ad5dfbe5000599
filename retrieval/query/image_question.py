"""A question asked about an attached image: only its real constraints go to the text search.

"Which product is this?", "do you have something like this?", "similar ones?" say nothing the
image does not say better; searched as text they rank whatever catalog rows and manuals say
"product" or "similar", and the fused ranking drifts away from the image's (measured through
``POST /chat``, docs/benchmarks.md). So, when an image is attached, the words that only point at
the image or ask to identify it are dropped from the text query; what is left is what the
words add to the picture: a colour, a size, a use, a category or brand name (those also become
filters, see :mod:`retrieval.query.constraints`), a price (cut before this step, as a filter).

    >>> about_the_image("Which product is this?")
    ''
    >>> about_the_image("Do you have this tent in green?")
    'tent green'
"""

from __future__ import annotations

import re

# Words that point at the attached image, ask what it is, ask for the like of it, or ask about
# it in general ("how much is this?": the price is the pictured product's, found by the image).
# Kept deliberately to words that never narrow a product search; nouns such as "tent" or
# "jacket", colours, sizes and materials are not here (a price *limit* is a filter, cut before).
_GENERIC_WORDS = """
    a an the this that these those it its they them one ones thing things something anything
    which what whats what's who is are was be do does did have has you your we our i i'm im me my
    can could would will please tell show find identify recognise recognize name called
    want wants need needs search searching and or but also just
    product products item items model models kind kinds type types sort sorts
    like similar similarly same exact exactly look looks looking resemble resembles
    match matches matching alike such as to of in on at from for with here there
    photo photos picture pictures image images pic pics shot snapshot attached above below shown
    sell sells carry carries stock stocks offer offers available get buy got
    how much many price prices cost costs about more info information details
"""
_GENERIC = frozenset(_GENERIC_WORDS.split())
_WORD = re.compile(r"[\w$][\w'.,$-]*")


def about_the_image(text: str) -> str:
    """``text`` without the words that only refer to the attached image (see the module)."""
    words = (word.rstrip(".,") for word in _WORD.findall(text))
    return " ".join(word for word in words if word and word.lower() not in _GENERIC)
