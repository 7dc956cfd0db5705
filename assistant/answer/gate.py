"""The hand gate: whether a scored sentence may answer at all (a score floor, every constraint met, the asked
kind held, on topic). Composition uses it to choose supporting sentences; the calibrated decision
(assistant/answer/decide.py) reads it as one feature among the others."""
from __future__ import annotations

from assistant.answer.sentences import Sentence
from assistant.understand.query import QueryInfo

MIN_SCORE = 0.7  # a lead sentence below this does not answer (public set; the train split preferred 0.8 by 0.02
#                  of its objective, but a bare directive number "Chỉ thị 20-CT/ThU" then scores under it)
TOPIC_MIN = 0.3  # share of the question's topic words (idf-weighted) the lead must cover (public set; train split kept it)


def off_topic(q: QueryInfo, s: Sentence) -> bool:
    """The sentence is about something else: single words in common but none of the question's word pairs
    ("giá vàng" vs "Sao Vàng"), or the names and years match while what is asked about does not."""
    if len(q.bigrams) >= 2 and s.bigram_share == 0 and s.coverage < 0.6:
        return True
    if any(n.kind in ("place", "name", "year", "period") for n in q.needs) and s.topic_bigram_share == 0:
        return True
    return s.topic_coverage < TOPIC_MIN


def fits(q: QueryInfo, s: Sentence) -> bool:
    """A sentence that may answer: strong enough, on topic, every constraint met, the asked-for kind held."""
    return s.score >= MIN_SCORE and not s.unmet and s.typed and not off_topic(q, s)
