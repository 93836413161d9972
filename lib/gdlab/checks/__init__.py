"""Exercise feedback: run a learner's function and say what is wrong with it.

One engine (:mod:`gdlab.checks.engine`) runs every exercise; the topic modules
are tables: the cases, the right answer, and the known mistakes, each a small
wrong function with the message that names it.  Each ``check_*`` takes the
learner's function and returns a :class:`Feedback`.
"""

from .data_checks import (
    check_mean,
    check_observation_pairs,
    check_predict,
    check_residuals,
    check_square,
)
from .descent_checks import check_descent_loop, check_step
from .feedback import Feedback, NotYetImplemented
from .logistic_checks import check_cross_entropy, check_logistic_gradient
from .loss_checks import check_gradient, check_mse
from .matrix_checks import (
    check_batch_gradient,
    check_classification,
    check_convergence_prediction,
    check_curvature,
    check_design_matrix,
)
from .network_checks import check_backprop, check_minibatch_pass
from .rule_checks import check_adam_step, check_momentum_step

__all__ = [
    "Feedback",
    "NotYetImplemented",
    "check_adam_step",
    "check_backprop",
    "check_batch_gradient",
    "check_classification",
    "check_convergence_prediction",
    "check_cross_entropy",
    "check_curvature",
    "check_descent_loop",
    "check_design_matrix",
    "check_gradient",
    "check_logistic_gradient",
    "check_mean",
    "check_minibatch_pass",
    "check_momentum_step",
    "check_mse",
    "check_observation_pairs",
    "check_predict",
    "check_residuals",
    "check_square",
    "check_step",
]
