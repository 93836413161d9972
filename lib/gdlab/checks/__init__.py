"""Exercise feedback: run a learner's function and say what is wrong with it.

Each ``check_*`` function takes the learner's function, runs it on cases it
chooses, and returns a :class:`Feedback`.  A failure names the mistake when
it is a known one (sign flipped, factor 2 missing, …), not just "wrong".
"""

from .descent_checks import check_descent_loop, check_step
from .feedback import Feedback, NotYetImplemented

__all__ = ["Feedback", "NotYetImplemented", "check_step", "check_descent_loop"]
