"""One interface to full-text search, whichever database is in use.

`search(query, filters)` returns the matching documents, best first, as a lazy sequence a
Paginator can page through: one COUNT and one page of ids per request, then the rows. Each
engine writes its query from the keys of a `ParsedQuery` only (checked here to be ASCII
letters and digits), never from what the visitor typed.
"""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.db import connection

from search.models import SearchDocument
from search.query import ParsedQuery
from search.text import is_key

FILTER_FIELDS = (
    "kind", "treatment_id", "procedure_status", "result", "ms_type", "country",
    "procedure_kind", "treated_year",
)


def _checked(terms: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    if not terms or not all(term and all(is_key(key) for key in term) for term in terms):
        raise ValueError("A search query is made of keys: ASCII letters and digits only.")
    return terms


class SQLiteEngine:
    """FTS5. Phrases never cross columns; bm25 weighs the title ten times the text."""

    def match(self, terms) -> tuple[str, list]:
        expression = " AND ".join('"' + " ".join(term) + '"' for term in _checked(terms))
        sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
        return sql, [expression]

    def ranked(self, terms, within_sql: str, within_params: list, *, ordered: bool = True):
        _sql, match_params = self.match(terms)
        sql = (
            "SELECT d.id FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND d.id IN ({within_sql})"
        )
        if ordered:
            sql += " ORDER BY bm25(search_fts, 10.0, 1.0), d.published_at DESC, d.id DESC"
        return sql, [*match_params, *within_params]


class PostgreSQLEngine:
    """A generated tsvector, title weighted A and text B. A phrase must lie within one of them,
    as in FTS5, so it is asked for once with each weight."""

    @staticmethod
    def tsquery(terms) -> str:
        parts = []
        for term in _checked(terms):
            if len(term) == 1:
                parts.append(f"'{term[0]}'")
            else:
                title = " <-> ".join(f"'{key}':A" for key in term)
                text = " <-> ".join(f"'{key}':B" for key in term)
                parts.append(f"( {title} | {text} )")
        return " & ".join(parts)

    def match(self, terms) -> tuple[str, list]:
        sql = (
            "SELECT id FROM search_searchdocument "
            "WHERE search_vector @@ CAST(%s AS tsquery)"
        )
        return sql, [self.tsquery(terms)]

    def ranked(self, terms, within_sql: str, within_params: list, *, ordered: bool = True):
        tsquery = self.tsquery(terms)
        sql = (
            "SELECT d.id FROM search_searchdocument d "
            f"WHERE d.search_vector @@ CAST(%s AS tsquery) AND d.id IN ({within_sql})"
        )
        if not ordered:
            return sql, [tsquery, *within_params]
        sql += (
            " ORDER BY ts_rank(d.search_vector, CAST(%s AS tsquery), 1) DESC, "
            "d.published_at DESC, d.id DESC"
        )
        return sql, [tsquery, *within_params, tsquery]


ENGINES = {"sqlite": SQLiteEngine, "postgresql": PostgreSQLEngine}


def engine():
    try:
        return ENGINES[connection.vendor]()
    except KeyError:
        raise NotImplementedError(
            f"Search supports SQLite and PostgreSQL, not {connection.vendor}."
        ) from None


@dataclass
class SearchResults:
    """Matching visible documents, best first. Paginator calls `count()` and slices."""

    query: ParsedQuery
    filters: dict

    def _within(self) -> tuple[str, list] | None:
        documents = SearchDocument.objects.visible().filter(**self.filters).values("id")
        try:
            sql, params = documents.query.sql_with_params()
        except EmptyResultSet:
            return None
        return sql, list(params)

    def _sql(self, *, ordered: bool) -> tuple[str, list] | None:
        within = self._within()
        if within is None or not self.query:
            return None
        return engine().ranked(self.query.terms, *within, ordered=ordered)

    def count(self) -> int:
        return self._count

    @cached_property
    def _count(self) -> int:
        unordered = self._sql(ordered=False)
        if unordered is None:
            return 0
        sql, params = unordered
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS matches", params)
            return cursor.fetchone()[0]

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: slice) -> list[SearchDocument]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("Search results are read a page at a time, by slice.")
        start = max(index.start or 0, 0)
        stop = self._count if index.stop is None else min(index.stop, self._count)
        ranked = self._sql(ordered=True)
        if ranked is None or stop <= start:
            return []
        sql, params = ranked
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT {int(stop - start)} OFFSET {int(start)}", params)
            ids = [row[0] for row in cursor.fetchall()]
        rows = SearchDocument.objects.in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


def search(query: ParsedQuery, filters: dict | None = None) -> SearchResults:
    """Documents matching every term of the query and the given filters (field → value, for
    the fields in FILTER_FIELDS), best first."""
    filters = filters or {}
    unknown = set(filters) - set(FILTER_FIELDS)
    if unknown:
        raise ValueError(f"Unknown search filters: {sorted(unknown)}")
    return SearchResults(query=query, filters=filters)


def matching_ids(query: ParsedQuery) -> set[int]:
    """Every document the engine matches, visible or not, unranked (for tests and checks)."""
    sql, params = engine().match(query.terms)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}
