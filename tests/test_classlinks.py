"""The Binder and nbgitpuller links: their shape, and that the README shows these ones."""

from __future__ import annotations

import doctest
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
import classlinks

LINK = re.compile(r"https://[^\s)>]+")


def _query(url: str) -> dict[str, str]:
    values = parse_qs(urlsplit(url).query, strict_parsing=True)
    assert all(len(v) == 1 for v in values.values()), url
    return {k: v[0] for k, v in values.items()}


def _readme_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = text.index(classlinks.BEGIN), text.index(classlinks.END)
    return text[start:end]


@pytest.mark.parametrize(
    "repository", ["https://github.com/some-school/gd-lab", classlinks.REPOSITORY_URL]
)
def test_binder_link_builds_this_repository_and_opens_a_lesson_that_exists(repository):
    url = urlsplit(classlinks.binder_url(repository))
    owner, name = urlsplit(repository).path.strip("/").split("/")
    assert (url.scheme, url.netloc) == ("https", "mybinder.org")
    assert url.path.split("/") == ["", "v2", "gh", owner, name, classlinks.BRANCH]
    target = _query(url.geturl())["urlpath"]
    assert target.startswith("lab/tree/")
    assert (ROOT / target.removeprefix("lab/tree/")).is_file()


@pytest.mark.parametrize(
    "hub", ["https://hub.school.edu", "https://school.edu/jupyter/"]
)
def test_nbgitpuller_link_pulls_this_repository_into_a_folder_named_after_it(hub):
    repository = "https://github.com/some-school/gd-lab"
    url = urlsplit(classlinks.nbgitpuller_url(hub, repository))
    assert f"{url.scheme}://{url.netloc}{url.path}" == (
        hub.rstrip("/") + "/hub/user-redirect/git-pull"
    )
    query = _query(url.geturl())
    assert set(query) == {"repo", "branch", "urlpath"}
    assert (query["repo"], query["branch"]) == (repository, classlinks.BRANCH)
    # nbgitpuller clones into a folder named like the repository; the lesson
    # must be opened inside it, at its path in the repository.
    prefix = "lab/tree/gd-lab/"
    assert query["urlpath"].startswith(prefix)
    assert (ROOT / query["urlpath"].removeprefix(prefix)).is_file()
    # Every reserved character of the values is escaped, so the hub sees three values.
    assert "/" not in url.query and ":" not in url.query


def test_readme_shows_exactly_the_links_the_tool_makes():
    links = LINK.findall(_readme_block())
    binder = classlinks.binder_url()
    hub = classlinks.nbgitpuller_url(classlinks.EXAMPLE_HUB)
    assert classlinks.BADGE in links
    assert binder in links and hub in links
    assert set(links) == {classlinks.BADGE, binder, hub, classlinks.EXAMPLE_HUB}
    assert classlinks.update_readme(check=True)


def test_readme_check_notices_a_stale_link(tmp_path):
    readme = tmp_path / "README.md"
    stale = classlinks.readme_block().replace("main", "master")
    readme.write_text(f"# x\n\n{stale}\n\nmore\n", encoding="utf-8")
    assert not classlinks.update_readme(check=True, readme=readme)
    assert classlinks.update_readme(readme=readme) is False
    assert classlinks.update_readme(check=True, readme=readme)
    assert readme.read_text(encoding="utf-8").endswith("\n\nmore\n")


@pytest.mark.parametrize(
    "repository",
    [
        "https://gitlab.com/me/gdlab",
        "http://github.com/me/gdlab",
        "https://github.com/me",
        "github.com/me/gdlab",
    ],
)
def test_a_repository_binder_cannot_build_by_these_links_is_refused(repository):
    with pytest.raises(ValueError, match="repository must be"):
        classlinks.binder_url(repository)


@pytest.mark.parametrize("hub", ["hub.school.edu", "ftp://hub.school.edu", ""])
def test_a_hub_without_an_http_address_is_refused(hub):
    with pytest.raises(ValueError, match="hub must be"):
        classlinks.nbgitpuller_url(hub)


def test_the_command_line_prints_a_link_for_a_given_hub(capsys):
    assert classlinks.main(["--hub", "https://hub.school.edu"]) == 0
    out = capsys.readouterr().out
    assert unquote(out).count("https://hub.school.edu/hub/user-redirect/git-pull") == 1
    assert classlinks.main(["--hub", "hub.school.edu"]) == 2


def test_examples_in_the_docstrings_run():
    result = doctest.testmod(classlinks, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 2 and result.failed == 0
