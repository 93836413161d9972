"""Exercise feedback: run a learner's function and say what is wrong with it.

Each ``check_*`` function takes the learner's function, runs it on cases it
chooses, and returns a :class:`Feedback`.  A failure names the mistake when
it is a known one (sign flipped, factor 2 missing, …), not just "wrong".
"""

from .advanced_checks import (
    check_batch_gradient,
    check_classification,
    check_convergence_prediction,
    check_design_matrix,
)
from .basics import (
    check_mean,
    check_observation_pairs,
    check_predict,
    check_residuals,
    check_square,
)
from .descent_checks import check_descent_loop, check_step
from .feedback import Feedback, NotYetImplemented
from .loss_checks import check_gradient, check_mse

__all__ = [
    "Feedback",
    "NotYetImplemented",
    "check_square",
    "check_observation_pairs",
    "check_mean",
    "check_predict",
    "check_residuals",
    "check_mse",
    "check_gradient",
    "check_convergence_prediction",
    "check_design_matrix",
    "check_classification",
    "check_batch_gradient",
    "check_step",
    "check_descent_loop",
]
