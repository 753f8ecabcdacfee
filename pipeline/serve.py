"""``zhengce serve``: a read-only web page and JSON API over a run's store.

Every request opens its own read-only connection (``mode=ro``), so the server can never change the
store and threads never share a connection. Text from documents reaches the page only through
Jinja2 autoescaping or ``marked`` (escape first, then wrap hit spans in ``<mark>``).
"""
from __future__ import annotations

import io
import logging
import sqlite3
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Iterator
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from corpus.errors import StoreError
from pipeline.search import (
    COUNT_CAP, MAX_QUERY_CHARS, Filters, Hit, SearchError, check, fts_query, highlight_spans, query_terms,
    resolve_db, search, write_csv,
)
from pipeline.store import Store

LOGGER = logging.getLogger(__name__)
TEMPLATES = Path(__file__).with_name("templates")
MAX_PAGE_SIZE = 100
MAX_PAGE = 1000
CSV_ROWS = 500
_YEAR = r"^(\d{4})?$"


def marked(text: str, spans: list[tuple[int, int]]) -> Markup:
    """``text`` escaped, with each span wrapped in ``<mark>``."""
    out, last = [], 0
    for start, end in spans:
        out += [escape(text[last:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def facets(conn: sqlite3.Connection, query: str = "", filters: Filters | None = None) -> dict[str, Any]:
    """Counts of the matching measures (all measures when ``query`` is empty) by theme, instrument,
    province, city, county and year, and how many carry a funding amount or a target."""
    clauses, params = (filters or Filters()).where()
    source = "measures m"
    if query.strip():
        clauses.insert(0, "measures_fts MATCH ?")
        params.insert(0, fts_query(check(query)))
        # CROSS JOIN keeps the index first: the planner may otherwise probe the index per measure.
        source = "measures_fts CROSS JOIN measures m ON m.rowid = measures_fts.rowid"
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    # Documents, funding and targets are small next to measures: look them up here, not per row in SQL.
    docs = {r[0]: tuple(r)[1:] for r in conn.execute(
        "SELECT doc_id, province, city, county, substr(published, 1, 4) FROM documents")}
    funded = {tuple(r) for r in conn.execute("SELECT DISTINCT doc_id, measure_id FROM funding")}
    targeted = {tuple(r) for r in conn.execute("SELECT DISTINCT doc_id, measure_id FROM targets")}
    names = ("theme", "instrument", "province", "city", "county", "year")
    counters: dict[str, Counter] = {name: Counter() for name in names}
    total = n_funded = n_targeted = 0
    for theme, instrument, doc_id, measure_id in conn.execute(
        f"SELECT m.theme, m.instrument, m.doc_id, m.measure_id FROM {source} {where}", params
    ):
        total += 1
        for name, value in zip(names, (theme, instrument, *docs.get(doc_id, ("", "", "", "")))):
            if value:
                counters[name][value] += 1
        n_funded += (doc_id, measure_id) in funded
        n_targeted += (doc_id, measure_id) in targeted
    out: dict[str, Any] = {name: [[k, n] for k, n in c.most_common()] for name, c in counters.items()}
    out["year"].sort(reverse=True)
    out.update(total=total, has_funding=n_funded, has_target=n_targeted)
    return out


def _all_facets(db: Path) -> dict[str, Any]:
    """Facets of every measure (the landing page), cached until the store file changes."""
    return _facets_cached(db, db.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _facets_cached(db: Path, mtime_ns: int) -> dict[str, Any]:
    store = Store(db, readonly=True)
    try:
        return facets(store.conn)
    finally:
        store.close()


def document(conn: sqlite3.Connection, doc_id: str) -> dict[str, Any] | None:
    """A document's row with its measures, funding amounts and targets, or None."""
    row = conn.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    if row is None:
        return None

    def rows(table: str, order: str) -> list[dict]:
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table} WHERE doc_id = ? ORDER BY {order}", (doc_id,))]

    return {
        "document": dict(row),
        "measures": rows("measures", "start, measure_id"),
        "funding": rows("funding", "start, end"),
        "targets": rows("targets", "start, end"),
    }


router = APIRouter()
templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.globals["marked"] = marked


def connection(request: Request) -> Iterator[sqlite3.Connection]:
    """A read-only connection for one request."""
    store = Store(request.app.state.db, readonly=True)
    try:
        yield store.conn
    finally:
        store.close()


Conn = Annotated[sqlite3.Connection, Depends(connection)]
Q = Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="Words to find, e.g. 留守儿童")]
Text = Annotated[str | None, Query(max_length=50)]
Year = Annotated[str | None, Query(pattern=_YEAR, description="A year such as 2021")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


class Params:
    """Query and filters shared by every search endpoint."""

    def __init__(self, q: Q = "", theme: Text = None, instrument: Text = None, province: Text = None,
                 city: Text = None, county: Text = None, since: Year = None, until: Year = None,
                 has_funding: bool = False, has_target: bool = False):
        self.q = q.strip()
        raw = dict(q=self.q, theme=theme, instrument=instrument, province=province, city=city, county=county,
                   since=since, until=until, has_funding="1" if has_funding else "",
                   has_target="1" if has_target else "")
        self.raw = {k: v for k, v in raw.items() if v}
        self.filters = Filters(theme or None, instrument or None, province or None, city or None, county or None,
                               int(since) if since else None, int(until) if until else None,
                               has_funding, has_target)

    def url(self, base: str = "/", **changes: Any) -> str:
        """This search's URL with some parameters changed (None or "" drops one)."""
        merged = {k: v for k, v in {**self.raw, **changes}.items() if v not in (None, "", False)}
        return base + ("?" + urlencode(merged) if merged else "")


P = Annotated[Params, Depends()]


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def index(request: Request, conn: Conn, p: P, page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
          limit: PageSize = 20):
    hits: list[Hit] = []
    total, error, status = 0, "", 200
    try:
        if p.q:
            hits, total = search(conn, p.q, p.filters, limit=limit, offset=(page - 1) * limit)
        counts = facets(conn, p.q, p.filters) if p.raw else _all_facets(request.app.state.db)
    except SearchError as exc:
        error, status, counts = str(exc), 400, _all_facets(request.app.state.db)
    documents = [] if p.q else [dict(r) for r in conn.execute(
        "SELECT doc_id, title, published, province, city, county, n_measures FROM documents "
        "ORDER BY published DESC, doc_id LIMIT 200")]
    return templates.TemplateResponse(request, "index.html", {
        "p": p, "hits": hits, "total": total, "facets": counts, "error": error, "page": page, "limit": limit,
        "documents": documents, "pages": -(-min(total, COUNT_CAP) // limit), "cap": COUNT_CAP,
    }, status_code=status)


@router.get("/doc/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
def doc_page(request: Request, conn: Conn, doc_id: str, m: Annotated[str, Query(max_length=40)] = "", q: Q = ""):
    found = document(conn, doc_id)
    if found is None:
        raise HTTPException(404, f"no document {doc_id!r} in this store")
    words = query_terms(q) if q.strip() else []
    for measure in found["measures"]:
        measure["spans"] = highlight_spans(measure["text"], words, pieces=False)
    return templates.TemplateResponse(request, "doc.html", {"d": found, "current": m, "q": q})


@router.get("/download.csv", summary="Search results as CSV (UTF-8 with BOM, at most 500 rows)", tags=["search"])
def download(conn: Conn, p: P) -> Response:
    hits, _ = search(conn, p.q, p.filters, limit=CSV_ROWS)
    stream = io.StringIO()
    write_csv(hits, stream)
    return Response(("\ufeff" + stream.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="zhengce_search.csv"'})


@router.get("/api/search", summary="Measures matching a query, best first", tags=["search"])
def api_search(conn: Conn, p: P, limit: PageSize = 20,
               offset: Annotated[int, Query(ge=0, le=MAX_PAGE * MAX_PAGE_SIZE)] = 0) -> dict:
    hits, total = search(conn, p.q, p.filters, limit=limit, offset=offset)
    return {"query": p.q, "words": query_terms(p.q), "total": total, "total_capped": total > COUNT_CAP,
            "limit": limit, "offset": offset, "hits": [h.as_dict() for h in hits]}


@router.get("/api/facets", summary="Counts by theme, region, year, funding and target", tags=["search"])
def api_facets(conn: Conn, p: P) -> dict:
    return facets(conn, p.q, p.filters)


@router.get("/api/documents/{doc_id:path}", summary="A document with its measures, funding and targets",
            tags=["documents"])
def api_document(conn: Conn, doc_id: str) -> dict:
    found = document(conn, doc_id)
    if found is None:
        raise HTTPException(404, f"no document {doc_id!r} in this store")
    return found


async def _bad_search(request: Request, exc: SearchError) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=400)


def create_app(db: str | Path) -> FastAPI:
    """The app serving the store at ``db`` (a run's output folder or its .sqlite file)."""
    path = resolve_db(db)
    if not path.exists():
        raise StoreError(f"no store at {path}: run `zhengce run INPUT --out DIR` first")
    app = FastAPI(title="zhengce search", version="1",
                  description="Search the measures of processed Chinese policy documents (read-only).")
    app.state.db = path
    app.include_router(router)
    app.add_exception_handler(SearchError, _bad_search)
    return app


def serve_command(out: str | Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Body of ``zhengce serve``: serve the store in ``out`` until interrupted."""
    import uvicorn

    app = create_app(out)
    LOGGER.info("serving %s on http://%s:%d", resolve_db(out), host, port)
    uvicorn.run(app, host=host, port=port, log_level="warning")
