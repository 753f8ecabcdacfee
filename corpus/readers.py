"""Files to raw text: one reader per file type, in a registry keyed by suffix.

A reader takes the file's bytes and a name for messages and returns a :class:`RawDocument`; it
never lets a library exception escape (every failure becomes a :class:`~corpus.errors.CorpusError`
naming the file). A new format is one function plus one line in ``READERS``.
"""
from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corpus.decode import decode_bytes
from corpus.errors import EmptyDocument, ReadFailed, UnsupportedFormat

LOGGER = logging.getLogger(__name__)

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # a .docx declaring more than this is refused unopened


@dataclass(frozen=True, slots=True)
class RawDocument:
    """Text of one file before normalisation, with what the container told us about it."""

    text: str
    format: str
    encoding: str = ""
    title: str = ""
    published: str = ""
    lossy: bool = False


def file_sha1(path: str | Path) -> str:
    """The sha1 of a file's bytes, or "" when it cannot be read (never equal to a stored digest)."""
    try:
        return hashlib.sha1(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def read_text(data: bytes, source: str) -> RawDocument:
    """Plain text or Markdown: decode and keep the text as it is."""
    decoded = decode_bytes(data, source)
    fmt = "md" if source.lower().endswith((".md", ".markdown")) else "txt"
    return RawDocument(decoded.text, fmt, decoded.encoding, lossy=decoded.lossy)


def read_html(data: bytes, source: str) -> RawDocument:
    """HTML page: decode honouring ``<meta charset>``, keep only the main text (trafilatura)."""
    decoded = decode_bytes(data, source, declared=_declared_charset(data))
    text, title, published = html_to_document(decoded.text, source)
    if not text.strip():
        raise EmptyDocument(f"{source}: the page holds no main text (only navigation or boilerplate)")
    return RawDocument(text, "html", decoded.encoding, title, published, decoded.lossy)


def html_to_document(html: str, source: str = "") -> tuple[str, str, str]:
    """Main text, title and ISO publication date of an HTML page.

    Layout tables (old government templates put the whole page in one) are unwrapped first, or
    trafilatura would flatten the body into a single table cell and lose its paragraphs; data tables
    stay tables, one row per line. Paragraphs are separated by a blank line.
    """
    import lxml.html
    import trafilatura
    from lxml import etree

    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ReadFailed(f"{source}: not parseable as HTML ({exc})") from exc
    title, published = _html_title(tree), _html_published(tree)
    _unwrap_layout_tables(tree)
    xml = trafilatura.extract(etree.tostring(tree, encoding="unicode"), output_format="xml",
                              include_comments=False, include_tables=True, favor_recall=True)
    if xml is None:
        LOGGER.info("%s: trafilatura found no main text; falling back to the whole body", source)
        blocks = [" ".join(t.split()) for t in tree.xpath("//body//text()[not(ancestor::script)"
                                                            " and not(ancestor::style)]")]
    else:
        blocks = _xml_blocks(etree.fromstring(xml.encode("utf-8")))
    text = _LEFTOVER_ENTITY.sub(" ", "\n\n".join(b for b in blocks if b.strip()))
    return text, title, published


_PARTS = frozenset({"tbody", "thead", "tfoot", "tr", "td", "th"})
_LAYOUT_CELL_CHARS = 150  # a cell holding more text than this is page layout, not data
_LEFTOVER_ENTITY = re.compile(r"&(?:nbsp|ensp|emsp|sp);?")


def _own_parts(element):  # noqa: ANN001, ANN202 - lxml elements
    for child in element:
        if isinstance(child.tag, str) and child.tag in _PARTS:
            yield child
            yield from _own_parts(child)


def _unwrap_layout_tables(tree) -> None:  # noqa: ANN001
    layout = []
    for table in tree.iter("table"):
        cells = [p for p in _own_parts(table) if p.tag in ("td", "th")]
        if table.xpath(".//table") or any(len(c.text_content()) > _LAYOUT_CELL_CHARS for c in cells):
            layout.append(table)
    for table in layout:
        for part in list(_own_parts(table)):
            part.tag = "div"
        table.tag = "div"


def _xml_blocks(main) -> list[str]:  # noqa: ANN001 - trafilatura's XML output
    for lb in main.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    blocks: list[str] = []
    for element in main.iterfind("main/*"):
        if element.tag == "table":
            rows = [" ".join(t for c in row.iterfind("cell") if (t := " ".join("".join(c.itertext()).split())))
                    for row in element.iterfind("row")]
            blocks.append("\n".join(r for r in rows if r))
        elif element.tag == "list":
            blocks.extend("".join(item.itertext()).strip() for item in element.iterfind("item"))
        else:
            blocks.append("".join(element.itertext()).strip())
    return blocks


_TITLE_META = ("articletitle", "og:title", "dc.title", "title")
_DATE_META = ("pubdate", "publishdate", "publish_date", "article:published_time", "og:release_date",
              "firstpublishedtime", "dc.date.issued", "dc.date", "releasedate", "date")
_SITE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-—–]\s)\s*")
_DATE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_LABELLED_DATE = re.compile(r"发布(?:日期|时间)\s*[:：]?\s*((?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")


def _meta(tree, names: tuple[str, ...]) -> str:  # noqa: ANN001
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        if key in names and (content := (meta.get("content") or "").strip()):
            found.setdefault(key, content)
    return next((found[n] for n in names if n in found), "")


def _html_title(tree) -> str:  # noqa: ANN001
    if title := _meta(tree, _TITLE_META):
        return " ".join(title.split())
    head = tree.find(".//title")
    if head is not None and (text := " ".join(head.text_content().split())):
        first = _SITE_SUFFIX.split(text)[0]
        return first if len(first) >= 6 else text
    h1 = tree.find(".//h1")
    return " ".join(h1.text_content().split()) if h1 is not None else ""


def iso_date(text: str) -> str:
    """First ``YYYY-MM-DD`` / ``YYYY年M月D日`` date in ``text`` as ISO, or ``""``."""
    for match in _DATE.finditer(text):
        year, month, day = (int(g) for g in match.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def _html_published(tree) -> str:  # noqa: ANN001
    if date := iso_date(_meta(tree, _DATE_META)):
        return date
    body = tree.find("body")
    match = _LABELLED_DATE.search(" ".join((body if body is not None else tree).text_content().split()))
    return iso_date(match.group(1)) if match else ""


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _declared_charset(data: bytes) -> str:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else ""


def _refuse_zip_bomb(data: bytes, source: str) -> None:
    """Open the zip directory only and refuse archives that declare too much uncompressed data."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise ReadFailed(f"{source}: not a readable .docx (truncated or corrupt zip: {exc})") from exc
    if declared > MAX_UNZIPPED_BYTES:
        raise ReadFailed(f"{source}: refused, the .docx declares {declared / 2**20:.0f} MB uncompressed "
                         f"(limit {MAX_UNZIPPED_BYTES / 2**20:.0f} MB); possibly a zip bomb")


def _docx_blocks(document) -> list[str]:  # noqa: ANN001 - python-docx Document
    """Paragraphs and table rows in body order; a row's cells joined by a space."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(Paragraph(child, document).text.strip())
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:  # merged cells repeat: keep each text once per row
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                blocks.append(" ".join(cells))
    return blocks


def read_docx(data: bytes, source: str) -> RawDocument:
    """Word .docx: paragraphs and table cells, one paragraph per line block."""
    _refuse_zip_bomb(data, source)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        blocks = _docx_blocks(document)
        title = (document.core_properties.title or "").strip()
    except Exception as exc:  # python-docx raises KeyError, lxml and zip errors: all mean "broken"
        raise ReadFailed(f"{source}: cannot read .docx ({type(exc).__name__}: {exc})") from exc
    text = "\n\n".join(b for b in blocks if b)
    if not text.strip():
        raise EmptyDocument(f"{source}: the .docx holds no text")
    return RawDocument(text, "docx", "utf-8", title=title)


_SENTENCE_END = tuple("。！？；：!?;:”」』)）")
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|第[一二三四五六七八九十百\d]+[章节条])")


def reflow(page: str) -> str:
    """Join the lines a PDF wrapped inside a sentence: a line as wide as the page's widest lines
    that does not end a sentence continues on the next line, unless that one starts a heading.
    Short lines (titles, signatures, headings) stay as they are."""
    lines = page.splitlines()
    if len(lines) < 2:
        return page
    full = 0.8 * max(len(line.strip()) for line in lines)
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if out and out[-1] and stripped and not _HEADING_START.match(stripped):
            previous = out[-1]
            if len(previous) >= full and not previous.endswith(_SENTENCE_END):
                out[-1] = previous + stripped
                continue
        out.append(stripped)
    return "\n".join(out)


def read_pdf(data: bytes, source: str) -> RawDocument:
    """PDF: the text layer of every page (pypdf); pages separated by a blank line."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadFailed(f"{source}: the PDF is encrypted; decrypt it first")
        pages = [reflow((page.extract_text() or "").strip()) for page in reader.pages]
        title = str((reader.metadata or {}).get("/Title") or "").strip()
    except ReadFailed:
        raise
    except Exception as exc:  # pypdf raises PdfReadError, ValueError, KeyError... on broken files
        raise ReadFailed(f"{source}: cannot read .pdf ({type(exc).__name__}: {exc})") from exc
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise ReadFailed(f"{source}: PDF has no text layer (scanned?); OCR it first")
    return RawDocument(text, "pdf", "utf-8", title=title)


READERS: dict[str, Callable[[bytes, str], RawDocument]] = {
    ".txt": read_text,
    ".md": read_text,
    ".markdown": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".pdf": read_pdf,
}
SUFFIXES: frozenset[str] = frozenset(READERS)


def read_path(path: Path, data: bytes | None = None) -> RawDocument:
    """Read one file with the reader registered for its suffix.

    Parameters
    ----------
    path
        The file to read.
    data
        Its bytes, when the caller has already read them (to hash them, say): not read again.

    Returns
    -------
    RawDocument
        Its text (not yet normalised), format, encoding, and title/date when the container has them.

    Raises
    ------
    UnsupportedFormat
        No reader for the suffix.
    DecodeError, EmptyDocument, ReadFailed
        The file cannot be turned into text; the message names the file and the fix.
    """
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnsupportedFormat(f"{path}: no reader for suffix {path.suffix or '(none)'!r}; "
                                f"supported: {', '.join(sorted(SUFFIXES))}")
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReadFailed(f"{path}: cannot open ({exc.strerror or exc})") from exc
    return reader(data, str(path))
