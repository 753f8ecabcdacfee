"""The web page and JSON API of ``zhengce serve`` on a small hand-made store."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus.records import Document, DocumentResult, FundingAmount, Measure, Target
from pipeline.store import DB_NAME, Store

XSS = "<script>alert(1)</script>"

# (doc_id, title, published, province, city, county, measures as (text, theme, instrument),
#  funding as (measure index, mention, yuan), targets as (measure index, text, year))
FIXTURE = [
    ("henan/plan_2021.txt", "河南省推进县域义务教育优质均衡发展实施方案", "2021-06-01", "河南省", "", "", [
        ("加强农村留守儿童关爱保护，建立留守儿童信息台账。", "关爱帮扶", "服务供给"),
        ("推进县域内义务教育学校校长教师交流轮岗，每年交流比例不低于10%。", "教师队伍", "规制"),
        ("省级财政安排专项资金2亿元，用于改善农村学校办学条件。", "经费保障", "财政投入"),
    ], [(2, "2亿元", 200_000_000.0)], [(1, "每年交流比例不低于10%", 2025)]),
    ("sichuan/jiangyou.txt", "江油市多措并举推进义务教育优质均衡发展", "2018-10-08", "四川省", "绵阳市", "江油市", [
        ("落实“双减”政策，减轻学生过重作业负担和校外培训负担。", "质量提升", "规制"),
        ("为留守儿童配备代理家长，开展心理健康教育。", "关爱帮扶", "服务供给"),
        ("县财政每年投入教师培训经费500万元。", "教师队伍", "财政投入"),
    ], [(2, "500万元", 5_000_000.0)], []),
    ("xss.txt", "<b>测试</b>安全管理通知", "2023-03-01", "广东省", "梅州市", "五华县", [
        (f"加强{XSS}学校安全管理，健全校园安全制度。", "安全保障", "规制"),
    ], [], []),
]


def write_fixture_store(path: Path) -> Path:
    """A store of three small documents (one carries an XSS payload); returns the .sqlite path."""
    db = path / DB_NAME if path.suffix != ".sqlite" else path
    db.parent.mkdir(parents=True, exist_ok=True)
    with Store(db) as store:
        for doc_id, title, published, province, city, county, measures, funding, targets in FIXTURE:
            ms, pos = [], 0
            for i, (text, theme, instrument) in enumerate(measures):
                ms.append(Measure(doc_id, f"s{i + 1:04d}", f"一、总体要求 > ({i + 1})", text, theme, 0.9, theme,
                                  instrument, pos, pos + len(text)))
                pos += len(text) + 1
            result = DocumentResult(
                doc_id, doc_id, "", Document(doc_id, title, published, province, city, county, n_measures=len(ms)),
                ms,
                funding=[FundingAmount(doc_id, ms[i].measure_id, mention, yuan, sentence=ms[i].text)
                         for i, mention, yuan in funding],
                targets=[Target(doc_id, ms[i].measure_id, text, year) for i, text, year in targets],
            )
            store.write_result(result, 0, 0.0)
    return db


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from pipeline.serve import create_app

    out = tmp_path_factory.mktemp("serve")
    write_fixture_store(out)
    with TestClient(create_app(out)) as test_client:
        yield test_client


def test_serve_index_lists_documents(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "江油市多措并举推进义务教育优质均衡发展" in page.text
    assert 'lang="zh-CN"' in page.text


def test_serve_page_highlights_hits_with_section(client):
    page = client.get("/", params={"q": "留守儿童"})
    assert page.status_code == 200
    assert "<mark>留守儿童</mark>" in page.text
    assert "一、总体要求 &gt; (2)" in page.text
    assert "共 2 条措施" in page.text


def test_serve_facet_counts(client):
    facets = client.get("/api/facets", params={"q": "留守儿童"}).json()
    assert facets["total"] == 2
    assert dict(map(tuple, facets["province"])) == {"河南省": 1, "四川省": 1}
    assert dict(map(tuple, facets["theme"])) == {"关爱帮扶": 2}
    assert dict(map(tuple, facets["year"])) == {"2021": 1, "2018": 1}


def test_serve_facets_without_query_count_every_measure(client):
    facets = client.get("/api/facets").json()
    assert facets["total"] == 7
    assert facets["has_funding"] == 2
    assert facets["has_target"] == 1


def test_serve_api_search_filters(client):
    body = client.get("/api/search", params={"q": "教师", "province": "四川省"}).json()
    assert body["total"] == 1
    assert body["hits"][0]["county"] == "江油市"
    assert body["hits"][0]["spans"] == [[7, 9]]


def test_serve_api_document(client):
    body = client.get("/api/documents/henan/plan_2021.txt").json()
    assert body["document"]["province"] == "河南省"
    assert len(body["measures"]) == 3
    assert body["funding"][0]["amount_yuan"] == 200_000_000.0


def test_serve_doc_page_marks_current_measure_and_tables(client):
    page = client.get("/doc/henan/plan_2021.txt", params={"m": "s0002", "q": "交流轮岗"})
    assert page.status_code == 200
    assert 'class="measure current" id="s0002"' in page.text
    assert "<mark>交流轮岗</mark>" in page.text
    assert 'id="funding"' in page.text and 'id="targets"' in page.text


def test_serve_csv_download_has_bom(client):
    response = client.get("/download.csv", params={"q": "经费"})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode("utf-8"))
    assert "attachment" in response.headers["content-disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("doc_id,measure_id,title")
    assert len(lines) == 2


@pytest.mark.parametrize("path, params", [
    ("/api/search", {"q": "教" * 101}),
    ("/api/search", {"q": "教师", "limit": 0}),
    ("/api/search", {"q": "教师", "limit": 101}),
    ("/api/search", {"q": "教师", "since": "20x1"}),
    ("/api/search", {"q": "教师", "offset": -1}),
    ("/api/search", {"q": ""}),
    ("/api/search", {"q": "，。！"}),
    ("/api/facets", {"q": "教师", "has_funding": "maybe"}),
    ("/download.csv", {"q": ""}),
    ("/", {"q": "教师", "limit": 500}),
])
def test_serve_bad_parameters_are_4xx_with_message(client, path, params):
    response = client.get(path, params=params)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_serve_unknown_document_is_404(client):
    assert client.get("/api/documents/nope.txt").status_code == 404
    assert client.get("/doc/nope.txt").status_code == 404


def test_serve_page_shows_bad_query_message(client):
    page = client.get("/", params={"q": "！！"})
    assert page.status_code == 400
    assert "no searchable words" in page.text


@pytest.mark.parametrize("path", ["/?q=安全管理", "/doc/xss.txt", "/"])
def test_serve_escapes_document_text(client, path):
    page = client.get(path)
    assert XSS not in page.text
    assert "<b>测试</b>" not in page.text
    if path != "/":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_serve_openapi_describes_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/search", "/api/facets", "/api/documents/{doc_id}"} <= set(paths)


def test_serve_missing_store_is_an_error(tmp_path):
    from corpus.errors import StoreError
    from pipeline.serve import create_app

    with pytest.raises(StoreError, match="zhengce run"):
        create_app(tmp_path)


def test_serve_opens_store_read_only(client, tmp_path):
    from pipeline.serve import create_app

    db = write_fixture_store(tmp_path)
    db.chmod(0o444)
    from fastapi.testclient import TestClient

    with TestClient(create_app(db)) as ro_client:
        assert ro_client.get("/api/search", params={"q": "教师"}).json()["total"] == 2
