"""End to end in headless Chromium: the real server (uvicorn in a thread) on a small store."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from pipeline.serve import create_app
    from test_serve import write_fixture_store

    out = tmp_path_factory.mktemp("browser")
    write_fixture_store(out)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(out), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start within 10 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_browser_search_filter_document_and_download(server, page, tmp_path):
    page.goto(server + "/")
    page.fill("input[name=q]", "留守儿童")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("article.hit")
    assert page.locator("article.hit").count() == 2
    assert page.locator("article.hit mark").first.inner_text() == "留守儿童"
    page.screenshot(path="/tmp/zhengce_search.png", full_page=True)

    page.click("ul[data-facet=province] >> text=四川省")
    page.wait_for_url("**province=*")
    assert page.locator("article.hit").count() == 1
    assert "江油市" in page.locator("article.hit .meta").inner_text()

    with page.expect_download() as info:
        page.click("#download")
    saved = tmp_path / "hits.csv"
    info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "江油市" in saved.read_text(encoding="utf-8-sig")

    page.click("article.hit .meta a")
    page.wait_for_selector("p.measure.current")
    assert "留守儿童" in page.locator("p.measure.current mark").first.inner_text()
    assert page.locator("#funding").is_visible()


def test_browser_xss_renders_as_text(server, page):
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(server + "/?q=安全管理")
    page.wait_for_selector("article.hit")
    assert "<script>alert(1)</script>" in page.locator("article.hit .text").first.inner_text()
    page.goto(server + "/doc/xss.txt")
    assert "<b>测试</b>" in page.locator("h1").inner_text()
    assert not alerts


def test_browser_bad_query_shows_message(server, page):
    response = page.goto(server + "/?q=" + "！" * 3)
    assert response.status == 400
    assert "no searchable words" in page.locator(".error").inner_text()
