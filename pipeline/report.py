"""Render comparison tables into ``report.xlsx`` (one sheet per table) and ``report.html`` (one
self-contained page: tables and charts as inline PNG, drawn with a font that has Chinese glyphs)."""
from __future__ import annotations

import base64
import html
import io
import logging
import warnings
from functools import lru_cache
from pathlib import Path

import pandas as pd

from pipeline.export import write_xlsx

LOGGER = logging.getLogger(__name__)

# Fonts with Chinese glyphs, best first; Debian's fonts-wqy-microhei is what .ci/run installs.
CJK_FONT_NAMES = (
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
    "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "AR PL UMing CN", "Droid Sans Fallback",
)
PROBE = "教育经费县区"


def font_has_glyphs(path: str, text: str = PROBE) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
    except Exception:  # noqa: BLE001 - unreadable font files are simply not candidates
        return False
    return all(font.get_char_index(ord(ch)) for ch in text)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Path of an installed font that draws Chinese, or None."""
    from matplotlib import font_manager

    entries = font_manager.fontManager.ttflist
    for name in CJK_FONT_NAMES:
        for entry in entries:
            if entry.name == name and font_has_glyphs(entry.fname):
                return entry.fname
    for entry in entries:
        if font_has_glyphs(entry.fname):
            return entry.fname
    return None


def _figure_png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def charts(tables: dict[str, pd.DataFrame]) -> dict[str, bytes]:
    """PNG charts: a region × theme heatmap of shares, and funding by theme."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    path = cjk_font()
    if path is None:
        LOGGER.warning("no font with Chinese glyphs found: install fonts-wqy-microhei (Debian) or Noto Sans CJK; "
                       "charts are skipped")
        return {}
    font_manager.fontManager.addfont(path)
    family = font_manager.FontProperties(fname=path).get_name()
    out: dict[str, bytes] = {}
    with plt.rc_context({"font.family": family, "axes.unicode_minus": False}):
        themes = tables["compare_themes"]
        shares = themes[themes["dimension"] == "theme"].assign(
            name=lambda t: t["label"].where(t["label"] != "", t["category"])
        ).pivot_table(index="region", columns="name", values="share", fill_value=0.0)
        if not shares.empty:
            fig, ax = plt.subplots(figsize=(1.0 + 0.7 * shares.shape[1], 1.2 + 0.45 * shares.shape[0]))
            image = ax.imshow(shares.to_numpy(), cmap="YlGnBu", aspect="auto", vmin=0)
            ax.set_xticks(range(shares.shape[1]), shares.columns, rotation=45, ha="right")
            ax.set_yticks(range(shares.shape[0]), shares.index)
            top = max(float(shares.to_numpy().max()), 1e-9)
            for (i, j), value in pd.DataFrame(shares.to_numpy()).stack().items():
                ax.text(j, i, f"{value:.0%}", ha="center", va="center", fontsize=7,
                        color="white" if value > 0.6 * top else "black")
            ax.set_title("各地区措施主题占比 (share of measures by theme)")
            fig.colorbar(image, ax=ax, shrink=0.8)
            out["heatmap"] = _figure_png(fig)
            plt.close(fig)
        funding = tables["compare_funding"]
        funding = funding[funding["total_yuan"] > 0]
        if not funding.empty:
            names = dict(zip(themes["category"], themes["label"].where(themes["label"] != "", themes["category"])))
            by_theme = funding.assign(theme=funding["theme"].map(names).fillna(funding["theme"])).pivot_table(
                index="theme", columns="region", values="total_yuan", aggfunc="sum", fill_value=0.0) / 1e4
            fig, ax = plt.subplots(figsize=(8, 1.5 + 0.4 * len(by_theme)))
            by_theme.plot.barh(ax=ax)
            ax.set_xlabel("万元 (10,000 yuan)")
            ax.set_ylabel("")
            ax.set_title("各主题资金投入 (funding by theme)")
            out["funding"] = _figure_png(fig)
            plt.close(fig)
    return out


def write_report(tables: dict[str, pd.DataFrame], report_dir: str | Path) -> list[Path]:
    """``report.xlsx``, ``report.html`` and the chart PNGs in ``report_dir``."""
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    write_xlsx(tables, report_dir / "report.xlsx")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        images = charts(tables)
    for warning in caught:
        LOGGER.warning("chart: %s", warning.message)
    written = [report_dir / "report.xlsx"]
    for name, png in images.items():
        path = report_dir / f"{name}.png"
        path.write_bytes(png)
        written.append(path)
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>zhengce 地区比较报告</title>",
        "<style>body{font-family:'WenQuanYi Micro Hei','Noto Sans CJK SC',sans-serif;margin:2em;}"
        "table{border-collapse:collapse;font-size:13px;margin-bottom:2em}td,th{border:1px solid #ccc;padding:3px 6px}"
        "th{background:#eef}img{max-width:100%}</style></head><body>",
        "<h1>地区比较报告 <small>(zhengce compare)</small></h1>",
    ]
    for name, png in images.items():
        parts.append(f"<h2>{html.escape(name)}</h2><img alt='{html.escape(name)}' "
                     f"src='data:image/png;base64,{base64.b64encode(png).decode()}'>")
    for name, frame in tables.items():
        parts.append(f"<h2>{html.escape(name)}</h2>")
        parts.append(frame.head(500).to_html(index=False, escape=True, na_rep=""))
    parts.append("</body></html>")
    (report_dir / "report.html").write_text("\n".join(parts), encoding="utf-8")
    written.append(report_dir / "report.html")
    return written
