"""Whether an answer declines to answer ("I don't know"), judged from its wording.

The patterns cover the refusals Ridgeline's answerers give ("I don't know: the indexed sources do
not contain an answer") and the usual ways an LLM says the same thing. They are anchored on
phrases, not single words, so an answer that merely mentions "unknown" costs is not a refusal.

Example::

    is_refusal("I don't know: the sources do not say.")  # True
    is_refusal("The deductible is $500.[plan.pdf#page=3]")  # False
"""

from __future__ import annotations

import re

_REFUSAL = re.compile(
    r"\b(?:"
    r"i (?:do not|don['\u2019]?t) know"
    r"|i (?:cannot|can['\u2019]?t|am unable to|'m unable to|am not able to)"
    r" (?:answer|find|say|tell)"
    r"|(?:sources?|documents?|context) (?:do|does) not (?:contain|say|mention|provide|include)"
    r"|no (?:relevant )?information (?:about|on|regarding|in)"
    r"|not (?:enough|sufficient) information"
    r"|(?:is|are) not (?:mentioned|covered|stated|specified) in the (?:sources?|documents?)"
    r")",
    re.IGNORECASE,
)


def is_refusal(answer: str) -> bool:
    """True when the answer says it cannot answer; an empty answer counts as a refusal."""
    return not answer.strip() or bool(_REFUSAL.search(answer))
