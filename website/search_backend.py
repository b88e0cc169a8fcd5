"""The site's search backend: Wagtail's database backend for the default database, with the
text people type made safe before it reaches the database.

Three faults of django-modelsearch (Wagtail's search) are guarded here, for the site search,
the admin's page search and every chooser alike:

- on SQLite, each term goes inside an FTS5 string, `"term"`, with its double quotes not
  doubled, so `a"b` ends the string early (`unterminated string`, `fts5: syntax error`);
- a NUL character ends an FTS5 string on SQLite and is refused by PostgreSQL's driver;
- terms are combined into a nested expression, one level per term, so a query of some
  thousands of words exceeds Python's recursion limit when it is compiled.

So every term and phrase loses its NUL characters, has its double quotes doubled on SQLite
(FTS5's own escape; PostgreSQL and MySQL receive terms as parameters), and a query keeps its
first `MAX_TERMS` words.
"""

from functools import cache
from typing import Any

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_search_backend
from modelsearch.query import MATCH_NONE, And, Boost, Not, Or, Phrase, PlainText, SearchQuery

MAX_TERMS = 32


def clean_query(query: SearchQuery, fts5: bool) -> SearchQuery:
    """The same query with safe text in its terms and phrases, and at most MAX_TERMS of them."""

    def clean(text: str) -> str:
        words = text.replace("\x00", " ").split()[:MAX_TERMS]
        joined = " ".join(words)
        return joined.replace('"', '""') if fts5 else joined

    if isinstance(query, (PlainText, Phrase)):
        text = clean(query.query_string)
        if not text.strip('"'):
            return MATCH_NONE
        if isinstance(query, Phrase):
            return Phrase(text)
        return PlainText(text, query.operator, query.boost)
    if isinstance(query, (And, Or)):
        cleaned = [clean_query(sub, fts5) for sub in query.subqueries[:MAX_TERMS]]
        kept = [sub for sub in cleaned if sub is not MATCH_NONE]
        if not kept:
            return MATCH_NONE
        return kept[0] if len(kept) == 1 else type(query)(kept)
    if isinstance(query, Not):
        return Not(clean_query(query.subquery, fts5))
    if isinstance(query, Boost):
        return Boost(clean_query(query.subquery, fts5), query.boost)
    return query


@cache
def _safe_compiler(compiler_class: type, fts5: bool) -> type:
    """A subclass of a backend's query compiler that cleans the query it is given."""

    def __init__(self, *args, **kwargs) -> None:
        compiler_class.__init__(self, *args, **kwargs)
        self.query = clean_query(self.query, fts5)

    return type(f"Safe{compiler_class.__name__}", (compiler_class,), {"__init__": __init__})


def SearchBackend(params: dict[str, Any]):
    """Wagtail's database backend for the default database, cleaning each query first."""
    backend = database_search_backend(params)
    fts5 = connection.vendor == "sqlite" and type(backend).__name__ == "SQLiteSearchBackend"
    backend.query_compiler_class = _safe_compiler(backend.query_compiler_class, fts5)
    backend.autocomplete_query_compiler_class = _safe_compiler(
        backend.autocomplete_query_compiler_class, fts5
    )
    return backend
