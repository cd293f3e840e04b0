"""Is this a scam? Checks a pasted message or a screenshot for the warning signs of scams."""
from .checker import Checker, load_checker
from .local import LocalLists
from .ocr import check_image
from .stream import check_stream
from .trigger import looks_pasted
from .verdict import Verdict

__all__ = ["Checker", "LocalLists", "Verdict", "check_image", "check_stream", "load_checker", "looks_pasted"]
