"""Nothing is used before it is taught (issue 20).

`INTRODUCED_IN` says which lesson teaches each term. Reading the lessons in
order (`tools/notebooks.py lessons()`), every markdown and code cell of a lesson
may use the terms of that lesson and of the lessons before it; a term met
earlier is a failure naming the lesson, the cell, the term and where it is taught.

How a term is matched: case-insensitively, at the start of a word, with any
ending (so "eigenvalue" finds "eigenvalues", "convex" finds "convexity"); a term
that starts with punctuation (`[:, None]`) anywhere; a term in capitals (GOE)
only as that whole word, in capitals.

What is not a use, the only exemptions:

- the generated navigation cells and the generated blocks between
  `<!-- lessons...:start` and `<!-- lessons...:end -->` (the map of the series,
  made from the lessons' headers by `tools/notebooks.py nav`);
- a lesson's own "coming next" line: a bullet that starts with "Next";
- the target of a markdown link, `[text](target)`: a file name, not a word on
  the page (the text in brackets is checked);
- in 00, the map, its tables (the glossary of notation says what every symbol
  will mean) and its "For teachers" section, written for teachers who know the
  whole course.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
import notebooks as nbtools

# The lesson that teaches each term: where a learner first gets what it means.
INTRODUCED_IN = {
    # 02: the model and its residuals
    "residual": "02",
    # 03: the loss as a surface
    "contour": "03",
    # 04: derivatives and the numpy and sympy idioms they need
    "finite difference": "04",
    "partial derivative": "04",
    "chain rule": "04",
    "Taylor": "04",
    "log-log": "04",
    "np.log10": "04",
    "sympy": "04",
    "IndexedBase": "04",
    "axis=": "04",
    "mse_gradient": "04",
    "numerical_gradient": "04",
    # 05: the update rule
    "gradient_descent(": "05",
    "learning rate": "05",
    "learning_rate": "05",
    "update rule": "05",
    "converge": "05",
    "diverge": "05",
    # 05b: the primer on vectors and matrices
    "transpose": "05b",
    "[:, None]": "05b",
    "mixed partial": "05b",
    "Hessian": "05b",
    "eigenvalue": "05b",
    "eigenvector": "05b",
    "np.linalg.eigh": "05b",
    "curvature": "05b",
    "identity matrix": "05b",
    # 06: learning rate and scaling
    "critical_learning_rate": "06",
    "condition number": "06",
    "standardis": "06",
    "descend(": "06",
    "eigvalsh": "06",
    # 07: polynomial regression
    "design matrix": "07",
    "design_matrix": "07",
    "overfit": "07",
    "convex": "07",
    # 08: convexity and saddle points
    "saddle": "08",
    "critical point": "08",
    "neural network": "08",
    "neuron": "08",
    "tanh": "08",
    "GOE": "08",
    # 09: mini-batches
    "mini-batch": "09",
    "stochastic": "09",
    "epoch": "09",
    "SGD": "09",
}

# Uses before the lesson that teaches them, kept on purpose, each with its reason.
# A test below fails once one is gone, so this set only shrinks.
KNOWN_PENDING = {
    # 05 shows that a too-large η overshoots however close the start; it needs the
    # bound as a number before lesson 06 derives it, and says so where it calls it.
    ("05", "critical_learning_rate"),
}

LESSONS = nbtools.lessons()
ORDER = {path.name.split("-", 1)[0]: k for k, path in enumerate(LESSONS)}
GENERATED = re.compile(
    r"<!-- lessons(?:-\w+)?:start.*?<!-- lessons(?:-\w+)?:end -->", re.DOTALL
)
NEXT_LINE = re.compile(r"^\s*[-*]\s+\**Next\b.*$", re.MULTILINE)
LINK_TARGET = re.compile(r"\]\([^)]*\)")
MAP = "00"
MAP_SECTIONS_EXEMPT = {"For teachers"}


def pattern(term: str) -> re.Pattern:
    """The regular expression that finds ``term`` in a cell (see the module's docstring)."""
    if term.isupper():
        return re.compile(rf"(?<![\w]){re.escape(term)}(?![\w])")
    start = r"(?<![\w])" if term[0].isalnum() else ""
    return re.compile(start + re.escape(term), re.IGNORECASE)


def readable(lesson: str, cells) -> list[tuple[int, str]]:
    """Each cell's text that counts as a use, by cell index, exemptions removed."""
    texts, section = [], None
    for index, cell in enumerate(cells):
        source = cell.source
        if cell.cell_type != "markdown":
            texts.append((index, source))
            continue
        if source.startswith(nbtools.MARKER):
            continue
        source = LINK_TARGET.sub("]", NEXT_LINE.sub("", GENERATED.sub("", source)))
        kept = []
        for line in source.splitlines():
            if line.startswith("## "):
                section = line[3:].strip()
            if lesson == MAP and (
                line.lstrip().startswith("|") or section in MAP_SECTIONS_EXEMPT
            ):
                continue
            kept.append(line)
        texts.append((index, "\n".join(kept)))
    return texts


def uses_before_taught(books) -> dict[tuple[str, str], str]:
    """Every (lesson, term) used before its lesson, with where and how, from ``books``.

    ``books`` is a list of (lesson, cells) in reading order.
    """
    order = {lesson: k for k, (lesson, _) in enumerate(books)}
    found = {}
    for lesson, cells in books:
        for index, text in readable(lesson, cells):
            for term, teacher in INTRODUCED_IN.items():
                if order[lesson] >= order.get(teacher, -1):
                    continue
                hit = pattern(term).search(text)
                if hit and (lesson, term) not in found:
                    context = text[max(0, hit.start() - 60) : hit.end() + 40]
                    found[(lesson, term)] = (
                        f"lesson {lesson}, cell {index}: {term!r} is taught in lesson "
                        f"{teacher}, but used here: …{' '.join(context.split())}…"
                    )
    return found


@pytest.fixture(scope="module")
def books():
    return [
        (path.name.split("-", 1)[0], nbformat.read(path, as_version=4).cells)
        for path in LESSONS
    ]


def test_no_term_is_used_before_the_lesson_that_teaches_it(books):
    found = uses_before_taught(books)
    new = [why for key, why in sorted(found.items()) if key not in KNOWN_PENDING]
    assert not new, "used before taught:\n" + "\n".join(new)


def test_every_known_pending_use_is_still_there(books):
    """Once a pending use is fixed, its entry must go: the set only shrinks."""
    found = uses_before_taught(books)
    fixed = sorted(KNOWN_PENDING - set(found))
    assert not fixed, f"fixed, remove from KNOWN_PENDING: {fixed}"


def test_each_term_is_met_in_the_lesson_said_to_teach_it(books):
    cells_of = dict(books)
    absent = [
        f"{term!r} (said to be taught in {lesson})"
        for term, lesson in INTRODUCED_IN.items()
        if lesson not in cells_of
        or not any(
            pattern(term).search(t) for _, t in readable(lesson, cells_of[lesson])
        )
    ]
    assert not absent, "the table is stale: " + ", ".join(absent)


def _md(text):
    return nbformat.v4.new_markdown_cell(text)


def _code(text):
    return nbformat.v4.new_code_cell(text)


def test_the_rules_find_a_use_and_honour_only_the_stated_exemptions():
    books = [
        (
            MAP,
            [
                _md(nbtools.MARKER + "\n[05 · Hessian →](x.ipynb)"),
                _md("| $\\eta$ | `learning_rate` | the step size |"),
                _md("## For teachers\n\nThe presets set the learning rate."),
                _md("## Summary\n\n- a convex bowl, soon"),
            ],
        ),
        (
            "03",
            [
                _md("<!-- lessons:start x -->\n| Hessian |\n<!-- lessons:end -->"),
                _md("## Summary\n\n- Next: the Hessian"),
                _md("See [the primer](05b-saddle.ipynb)."),
                _code("run = gdlab.gradient_descent(x, y)"),
                _md("The goes-with rule, and eigenvalues."),
            ],
        ),
        ("05", [_md("x")]),
        ("05b", [_md("x")]),
        ("07", [_md("x")]),
        ("08", [_md("x")]),
    ]
    found = uses_before_taught(books)
    assert set(found) == {
        ("00", "convex"),
        ("03", "gradient_descent("),
        ("03", "eigenvalue"),
    }
    assert found[("03", "gradient_descent(")].startswith(
        "lesson 03, cell 3: 'gradient_descent(' is taught in lesson 05"
    )


@pytest.mark.parametrize(
    ("term", "text", "hit"),
    [
        ("eigenvalue", "two Eigenvalues", True),
        ("convex", "convexity", True),
        ("convex", "nonconvex", False),
        ("GOE", "it goes", False),
        ("GOE", "the GOE.", True),
        ("[:, None]", "lengths[:, None]", True),
        ("axis=", "np.sum(a, axis=1)", True),
        ("descend(", "gdlab.descend(s)", True),
        ("descend(", "we descend (slowly)", False),
    ],
)
def test_how_a_term_is_matched(term, text, hit):
    assert bool(pattern(term).search(text)) is hit


def test_the_table_names_real_lessons():
    assert set(INTRODUCED_IN.values()) <= set(ORDER)
    assert {lesson for lesson, _ in KNOWN_PENDING} <= set(ORDER)
    assert {term for _, term in KNOWN_PENDING} <= set(INTRODUCED_IN)
