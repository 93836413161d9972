"""No library function is longer than 60 lines of code.

Lines of code are the lines of a function's body that hold code: blank
lines, comment-only lines and the docstring do not count, so documenting a
function never pushes it over.  A long function is split into named steps.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lib" / "gdlab"
LIMIT = 60
# Functions allowed over the limit for a while (say why beside each one);
# empty now, every library function is split.
NOT_YET_SPLIT: set[str] = set()


def code_lines(source: str) -> set[int]:
    """Numbers of the lines of ``source`` holding a token other than a comment."""
    lines = set()
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT}
    skip |= {tokenize.DEDENT, tokenize.ENDMARKER}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in skip:
            lines.update(range(token.start[0], token.end[0] + 1))
    return lines


def function_lengths(source: str, prefix: str = "") -> dict[str, int]:
    """Lines of code of every function and method in ``source``, by dotted name."""
    tree = ast.parse(source)
    code = code_lines(source)
    lengths = {}

    def visit(node, scope):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{scope}{child.name}"
                body = set(range(child.lineno, child.end_lineno + 1))
                doc = child.body[0]
                if ast.get_docstring(child) is not None:
                    body -= set(range(doc.lineno, doc.end_lineno + 1))
                lengths[name] = len(body & code)
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{scope}{child.name}.")
            else:
                visit(child, scope)

    visit(tree, prefix)
    return lengths


def library_functions() -> dict[str, int]:
    lengths = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE.parent).with_suffix("").as_posix()
        lengths.update(
            function_lengths(path.read_text(), module.replace("/", ".") + ":")
        )
    return lengths


def test_no_library_function_is_longer_than_the_limit():
    long = {
        name: n
        for name, n in library_functions().items()
        if n > LIMIT and name not in NOT_YET_SPLIT
    }
    assert long == {}, f"split these (lines of code > {LIMIT}): {long}"


def test_the_allow_list_names_only_functions_still_too_long():
    lengths = library_functions()
    stale = {name for name in NOT_YET_SPLIT if lengths.get(name, 0) <= LIMIT}
    assert stale == set(), f"no longer long, remove from NOT_YET_SPLIT: {stale}"


SAMPLE = '''
def short(x):
    """A docstring

    over several lines.
    """
    # a comment

    y = (x +
         1)
    return y


class Box:
    def method(self):
        def inner():
            return 1
        return inner()
'''


@pytest.mark.parametrize(
    "name, expected",
    [("short", 4), ("Box.method", 4), ("Box.method.inner", 2)],
)
def test_lines_are_counted_without_docstring_blanks_or_comments(name, expected):
    # def line, the two lines of one statement, return: 4.
    assert function_lengths(SAMPLE)[name] == expected
