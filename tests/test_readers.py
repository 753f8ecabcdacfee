"""corpus.readers: each file type to raw text, and every broken file to a clear CorpusError."""
from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from corpus.errors import DecodeError, EmptyDocument, ReadFailed, UnsupportedFormat
from corpus.readers import READERS, SUFFIXES, RawDocument, read_path

BODY = [
    "为深入贯彻落实党的二十大精神，加快推进义务教育优质均衡发展，结合我市实际，现提出如下实施意见。",
    "到2025年，全市义务教育优质均衡发展县（市、区）比例达到50%以上。",
    "（一）扩大优质教育资源供给。新建、改扩建中小学校30所，市财政安排专项资金3.5亿元。",
]
GOV_PAGE = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>关于推进义务教育优质均衡发展的实施意见_某某市人民政府</title>
<meta name="PubDate" content="2023-05-12 09:30"></head><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/hd">互动交流</a></li><li><a href="/fw">政务服务</a></li></ul></div>
<div class="article"><h1>关于推进义务教育优质均衡发展的实施意见</h1>
<div class="info">发布时间：2023-05-12 来源：市教育局</div>
<div class="content"><p>{0}</p><p>{1}</p><p>{2}</p></div>
<div class="share">分享到：<a>微信</a><a>微博</a><a>QQ空间</a></div>
<div class="print"><a>打印本页</a> <a>关闭窗口</a></div></div>
<div class="related"><h3>相关阅读</h3><ul><li><a href="/a1">市教育局召开义务教育均衡发展推进会</a></li>
<li><a href="/a2">我市出台学前教育三年行动计划</a></li></ul></div>
<div class="footer"><p>主办单位：某某市人民政府办公室 地址：人民路1号</p>
<p>网站标识码：4101000001 ICP备案号：豫ICP备05000001号</p></div></body></html>""".format(*BODY)


@pytest.fixture
def gbk_notice_file(tmp_path: Path) -> Path:
    path = tmp_path / "notice.txt"
    path.write_bytes("\n\n".join(BODY).encode("gbk"))
    return path


@pytest.fixture
def gov_page_file(tmp_path: Path) -> Path:
    path = tmp_path / "page.html"
    path.write_bytes(GOV_PAGE.encode("gbk"))
    return path


def _docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf_bytes(lines: list[str]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light", 11)
    for i, line in enumerate(lines):
        page.drawString(40, 780 - 20 * i, line)
    page.rect(40, 100, 200, 100)  # a drawing, so a text-less PDF still has content
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_readers_registry_matches_suffixes() -> None:
    assert set(READERS) == SUFFIXES
    assert {".txt", ".md", ".html", ".htm", ".docx", ".pdf"} <= SUFFIXES


def test_read_path_txt_detects_gbk(gbk_notice_file: Path) -> None:
    doc = read_path(gbk_notice_file)
    assert doc == RawDocument("\n\n".join(BODY), "txt", "gb18030")


def test_read_path_md_keeps_format(tmp_path: Path) -> None:
    path = tmp_path / "law.md"
    path.write_text("# 山东省学前教育条例\n\n" + BODY[0], encoding="utf-8")
    assert read_path(path).format == "md"


def test_read_path_50mb_txt(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    line = (BODY[0] + "\n").encode("utf-8")
    path.write_bytes(line * (50 * 2**20 // len(line) + 1))
    doc = read_path(path)
    assert len(doc.text) > 15_000_000 and doc.encoding == "utf-8"


def test_read_path_html_keeps_main_text_with_paragraph_breaks(gov_page_file: Path) -> None:
    doc = read_path(gov_page_file)
    assert doc.text == "\n\n".join(BODY)
    assert doc.encoding == "gb18030"


@pytest.mark.parametrize("boilerplate", ["首页", "政务公开", "分享到", "打印本页", "关闭窗口", "相关阅读",
                                         "市教育局召开义务教育均衡发展推进会", "网站标识码", "主办单位"])
def test_read_path_html_drops_boilerplate(gov_page_file: Path, boilerplate: str) -> None:
    assert boilerplate not in read_path(gov_page_file).text


def test_read_path_html_title_and_published(gov_page_file: Path) -> None:
    doc = read_path(gov_page_file)
    assert (doc.title, doc.published) == ("关于推进义务教育优质均衡发展的实施意见", "2023-05-12")


@pytest.mark.shared
def test_read_path_html_gov_page_keeps_body_and_date(shared_dir: Path) -> None:
    path = shared_dir / "corpus/eval/cn_2019_gov_office_urban_kindergarten_governance_notice.html"
    doc = read_path(path)
    assert doc.title == "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知"
    assert doc.published == "2019-01-22"
    # the body sits in a layout table: its paragraphs must stay separate paragraphs
    assert "\n\n一、总体要求\n\n" in doc.text
    assert "国务院办公厅\n\n2019年1月9日" in doc.text
    assert "de_bannerS" not in doc.text and "<" not in doc.text


@pytest.mark.shared
def test_read_path_html_gov_page_keeps_data_table_rows(shared_dir: Path) -> None:
    doc = read_path(shared_dir / "corpus/eval/cn_state_council_office_tibet_inland_classes_notice.html")
    assert "\n江苏 100 100 120 140 200\n" in doc.text


def test_read_path_html_without_body_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>首页</title></head><body><script>var a=1;</script></body></html>",
                    encoding="utf-8")
    with pytest.raises(EmptyDocument, match="empty.html"):
        read_path(path)


def test_read_path_docx_paragraphs_and_table(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx_bytes(BODY[:2], [["项目", "资金"], ["校舍改造", "3.5亿元"]]))
    doc = read_path(path)
    assert doc.format == "docx"
    assert doc.text == "\n\n".join([*BODY[:2], "项目 资金", "校舍改造 3.5亿元"])


def test_read_path_truncated_docx(tmp_path: Path) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes(_docx_bytes(BODY)[:2000])
    with pytest.raises(ReadFailed, match=r"cut\.docx: not a readable \.docx"):
        read_path(path)


def test_read_path_docx_missing_document_part(tmp_path: Path) -> None:
    path = tmp_path / "odd.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "不是Word文档")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ReadFailed, match=r"odd\.docx: cannot read \.docx"):
        read_path(path)


def test_read_path_refuses_zip_bomb_docx(tmp_path: Path) -> None:
    data = bytearray(_docx_bytes(BODY[:1]))
    # declare ~4 GB uncompressed for the first member in the central directory, as a bomb would
    entry = data.index(b"PK\x01\x02")
    data[entry + 24: entry + 28] = struct.pack("<I", 0xFFFFFFF0)
    path = tmp_path / "bomb.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(ReadFailed, match="zip bomb"):
        read_path(path)


def test_read_path_pdf_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "notice.pdf"
    path.write_bytes(_pdf_bytes(["到2025年，全市新增公办学位2.4万个。", "市财政安排专项资金3.5亿元。"]))
    doc = read_path(path)
    assert doc.format == "pdf"
    assert "到2025年，全市新增公办学位2.4万个。" in doc.text and "3.5亿元" in doc.text


def test_read_path_pdf_without_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf_bytes([]))
    with pytest.raises(ReadFailed, match=r"scan\.pdf: PDF has no text layer \(scanned\?\); OCR it first"):
        read_path(path)


@pytest.mark.parametrize("cut", [10, 400])
def test_read_path_truncated_pdf(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(_pdf_bytes([BODY[0][:20]])[:cut])
    with pytest.raises(ReadFailed, match=r"cut\.pdf"):
        read_path(path)


@pytest.mark.parametrize("name", ["table.xlsx", "notes.doc", "README"])
def test_read_path_unknown_suffix(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"data")
    with pytest.raises(UnsupportedFormat, match=r"no reader for suffix .*supported: .*\.docx"):
        read_path(path)


def test_read_path_binary_txt(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    with pytest.raises(DecodeError, match=r"image\.txt: looks binary"):
        read_path(path)


def test_read_path_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadFailed, match="cannot open"):
        read_path(tmp_path / "gone.txt")
