"""gdlab: the library behind the lessons on loss functions and gradient descent.

The top level holds the math, which needs numpy alone::

    >>> import gdlab
    >>> obs = gdlab.make_observations(n=50, seed=0)
    >>> m, b = gdlab.best_fit(obs.x, obs.y)
    >>> run = gdlab.gradient_descent(obs.x, obs.y, start=(0.0, 0.0),
    ...                              learning_rate=0.01, steps=5000)
    >>> run.status
    'converged'

Update rules (plain descent, momentum, Adam, …) are small objects in
:mod:`gdlab.rules`; :func:`gdlab.descend` runs any of them.

Drawing lives in :mod:`gdlab.plots` (matplotlib), the live explorer in
:mod:`gdlab.widgets` (ipywidgets) and exercise feedback in :mod:`gdlab.checks`;
import them by name when a lesson needs them.

For a projector, ``gdlab.classroom()`` at the top of a notebook makes every
later figure and widget in the kernel large (or start JupyterLab with
``GDLAB_CLASSROOM=1``, as ``make lab CLASSROOM=1`` does).

Notation, everywhere: ``m`` slope, ``b`` intercept, ``n`` observations,
``θ`` parameter vector, ``η`` (``learning_rate``) step size, ``L`` the loss,
``L = (1/n) Σ (y_i − ŷ_i)²``.
"""

from ._classroom import classroom, classroom_mode
from .critical_points import fraction_of_minima, random_hessians
from .data import Observations, anscombe_quartet, make_observations
from .descent import (
    DescentRun,
    LearningRateSweep,
    RuleError,
    descend,
    gradient_descent,
    learning_rate_sweep,
)
from .features import Standardization, design_matrix, predict_features, standardize
from .least_squares import FeatureMSE, LinearMSE, loss_surface
from .logistic import (
    CrossEntropy,
    SigmoidMSE,
    cross_entropy,
    cross_entropy_from_logits,
    logistic_gradient,
    make_classes,
    shuttle_launches,
    sigmoid,
)
from .loss import best_fit, critical_learning_rate, mse, mse_gradient, mse_hessian
from .model import predict
from .network import (
    NetworkMSE,
    TanhNetwork,
    backprop,
    filter_normalised_direction,
    make_wave,
)
from .paths import step_lengths
from .racing import RaceRun, race
from .regression import (
    MiniBatchGradient,
    MiniBatchRun,
    minibatch_descent,
    minibatch_gradient,
)
from .rules import Adam, GradientDescent, Momentum, Nesterov, RMSProp
from .surfaces import CriticalPoint, Surface, classify_critical_point, surface_grid
from .toy_surfaces import Parabola, Saddle, TwoValleys

__version__ = "0.1.0"

__all__ = [
    "Adam",
    "CriticalPoint",
    "CrossEntropy",
    "DescentRun",
    "FeatureMSE",
    "GradientDescent",
    "LearningRateSweep",
    "LinearMSE",
    "MiniBatchGradient",
    "MiniBatchRun",
    "Momentum",
    "Nesterov",
    "NetworkMSE",
    "Observations",
    "Parabola",
    "RMSProp",
    "RaceRun",
    "RuleError",
    "Saddle",
    "SigmoidMSE",
    "Standardization",
    "Surface",
    "TanhNetwork",
    "TwoValleys",
    "anscombe_quartet",
    "backprop",
    "best_fit",
    "classify_critical_point",
    "classroom",
    "classroom_mode",
    "critical_learning_rate",
    "cross_entropy",
    "cross_entropy_from_logits",
    "descend",
    "design_matrix",
    "filter_normalised_direction",
    "fraction_of_minima",
    "gradient_descent",
    "learning_rate_sweep",
    "logistic_gradient",
    "loss_surface",
    "make_classes",
    "make_observations",
    "make_wave",
    "minibatch_descent",
    "minibatch_gradient",
    "mse",
    "mse_gradient",
    "mse_hessian",
    "predict",
    "predict_features",
    "race",
    "random_hessians",
    "shuttle_launches",
    "sigmoid",
    "standardize",
    "step_lengths",
    "surface_grid",
]
