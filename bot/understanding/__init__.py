"""Understanding of residents' messages: language, intent and escalation, learnt from intents/."""
from .engine import Engine, Understanding, load_engine
from .stream import classify_stream

__all__ = ["Engine", "Understanding", "load_engine", "classify_stream"]
