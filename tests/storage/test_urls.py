"""Database URLs: SQLite files and PostgreSQL via psycopg accepted, nothing else, no secrets echoed."""

from __future__ import annotations

import pytest

from storage.urls import DEFAULT_SQLITE_PATH, check_database_url, default_database_url


def test_the_default_is_an_sqlite_file_under_storage():
    url = default_database_url()
    assert url == f"sqlite:///{DEFAULT_SQLITE_PATH}"
    assert check_database_url(url) == url


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("sqlite:///data/r.db", "sqlite:///data/r.db"),
        ("postgresql+psycopg://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgres://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_accepted_urls(given, kept):
    assert check_database_url(given) == kept


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("sqlite:///:memory:", "needs a file"),
        ("sqlite://", "needs a file"),
        ("mysql://root:s3cret@h/db", "mysql:// is not supported"),
        ("postgresql+psycopg2://u:s3cret@h/db", "postgresql+psycopg2:// is not supported"),
        ("not a url s3cret", "not a database URL"),
    ],
)
def test_refused_urls_say_what_is_expected_without_the_secret(url, says):
    with pytest.raises(ValueError) as refused:
        check_database_url(url)
    message = str(refused.value)
    assert says in message
    assert "postgresql+psycopg://user:pass@host/db" in message
    assert "s3cret" not in message
