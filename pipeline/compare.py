"""Compare regions: side-by-side tables read from the store that ``zhengce run`` wrote.

``compare(out_dir, by="province")`` returns the tables as pandas DataFrames; ``write_comparison``
writes them as CSV (UTF-8 with BOM) or Parquet, and ``pipeline.report`` renders them into
``report.xlsx`` and ``report.html``.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from corpus.errors import ZhengceError
from pipeline import keyness
from pipeline.store import DB_NAME, Store

BY = ("province", "city", "county", "doc")
UNKNOWN = "(未知地区)"
NATIONAL = "(全国)"
UNASSIGNED = "(未分类)"
STANDARDS_PATH = Path(__file__).resolve().parent / "data" / "standards.toml"
TOP_TERMS = 20
TOP_MEASURES_PER_TERM = 3
NEAREST = 3
MIN_SIMILARITY = 0.2
_CJK_WORD = re.compile(r"^[\u3400-\u9fff]{2,}$")
# Words every policy text uses: they carry no region's distinctive approach.
STOPWORDS = frozenset(
    "进一步 加强 推进 推动 完善 建立 健全 实施 开展 落实 提高 提升 实现 坚持 积极 全面 深入 有效 不断 切实 "
    "工作 发展 建设 相关 有关 各类 各级 我们 以及 通过 进行 按照 根据 对于 其中 同时 目前 已经 没有 可以 "
    "应当 需要 确保 做好 持续 逐步 着力 大力 努力 充分 全县 全市 全省 我县 我市 我省".split()
)


@dataclass(frozen=True, slots=True)
class Standard:
    id: str
    name: str
    keywords: tuple[str, ...]
    comparator: str
    value: float
    unit: str


def load_standards(path: str | Path = STANDARDS_PATH) -> list[Standard]:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return [
        Standard(s["id"], s["name"], tuple(s["keywords"]), s["comparator"], float(s["value"]), s.get("unit", ""))
        for s in data.get("standard", [])
    ]


def _open(out: str | Path) -> Store:
    path = Path(out)
    return Store(path / DB_NAME if path.is_dir() else path, readonly=True)


def region_labels(documents: pd.DataFrame, by: str) -> pd.Series:
    """The region each document counts for at level ``by``: names down to that level joined by
    ``/`` (a province-level document stays at its province in a city or county comparison),
    ``(全国)`` for national documents, or ``(未知地区)`` when the document names no region."""
    if by not in BY:
        raise ZhengceError(f"--by must be one of {', '.join(BY)}; got {by!r}")
    if by == "doc":
        return documents["doc_id"]
    levels = BY[: BY.index(by) + 1]
    labels = documents[list(levels)].fillna("").apply(lambda row: "/".join(v for v in row if v), axis=1)
    national = (documents["admin_level"].fillna("") == "national") & (labels == "")
    return labels.mask(national, NATIONAL).replace("", UNKNOWN)


def _theme_labels() -> dict[str, str]:
    try:
        from models.taxonomy import load_taxonomy

        taxonomy = load_taxonomy()
        labels = {t.id: t.label for t in taxonomy.themes}
        labels.update({i.id: i.label for i in taxonomy.instruments})
        return labels
    except Exception:  # noqa: BLE001 - labels are a nicety; a custom taxonomy may lack them
        return {}


def compare_themes(measures: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Region × theme (and × instrument): measure counts and shares of the region's measures."""
    frames = []
    totals = measures.groupby("region").size().rename("region_measures")
    for dimension in ("theme", "instrument"):
        counts = (
            measures.assign(category=measures[dimension].replace("", UNASSIGNED).fillna(UNASSIGNED))
            .groupby(["region", "category"]).size().rename("measures").reset_index()
        )
        counts.insert(1, "dimension", dimension)
        frames.append(counts)
    table = pd.concat(frames, ignore_index=True).join(totals, on="region")
    table["share"] = (table["measures"] / table["region_measures"]).round(4)
    table.insert(3, "label", table["category"].map(labels).fillna(""))
    return table.sort_values(["dimension", "region", "measures"], ascending=[False, True, False], ignore_index=True)


def compare_funding(funding: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """Region × theme funding in yuan: totals of stated amounts, how much of that is approximate,
    and per-unit standards listed apart (never summed)."""
    columns = ["region", "theme", "currency", "total_yuan", "approx_yuan", "exact_yuan", "n_amounts",
               "per_unit_standards", "periods"]
    if funding.empty:
        return pd.DataFrame(columns=columns)
    themes = measures.set_index(["doc_id", "measure_id"])["theme"]
    funding = funding.join(themes, on=["doc_id", "measure_id"])
    funding["theme"] = funding["theme"].replace("", UNASSIGNED).fillna(UNASSIGNED)
    funding["per_unit"] = funding["per_unit"].astype(bool)
    rows = []
    for (region, theme, currency), group in funding.groupby(["region", "theme", "currency"], sort=True):
        totals = group[~group["per_unit"]]
        approximate = totals["qualifier"].fillna("exact") != "exact"
        rows.append({
            "region": region,
            "theme": theme,
            "currency": currency,
            "total_yuan": float(totals["amount_yuan"].sum()),
            "approx_yuan": float(totals.loc[approximate, "amount_yuan"].sum()),
            "exact_yuan": float(totals.loc[~approximate, "amount_yuan"].sum()),
            "n_amounts": int(len(totals)),
            "per_unit_standards": "; ".join(group.loc[group["per_unit"], "mention"].astype(str)),
            "periods": ", ".join(sorted({p for p in group["period"].fillna("") if p})),
        })
    return pd.DataFrame(rows, columns=columns)


def _with_every_region(table: pd.DataFrame, regions: list[str], filler: dict) -> pd.DataFrame:
    """Add a row for each region the table lacks, so a region that states nothing still shows."""
    missing = [r for r in regions if r not in set(table["region"])]
    if not missing:
        return table
    extra = pd.DataFrame([{**filler, "region": r} for r in missing], columns=table.columns)
    return pd.concat([table, extra], ignore_index=True) if len(table) else extra


def compare_targets(targets: pd.DataFrame) -> pd.DataFrame:
    columns = ["region", "metric", "value", "value_max", "unit", "comparator", "deadline_year", "scope", "doc_id",
               "measure_id", "text"]
    if targets.empty:
        return pd.DataFrame(columns=columns)
    return targets[columns].sort_values(["metric", "region", "deadline_year"], na_position="last", ignore_index=True)


def _tokenised(texts: pd.Series) -> list[list[str]]:
    from corpus.segment import tokens

    return [[t for t in tokens(text) if _CJK_WORD.match(t) and t not in STOPWORDS] for text in texts]


def distinctive(measures: pd.DataFrame, words: list[list[str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keyness of each region's words against all other regions (χ² and G², see
    ``pipeline.keyness``), and the measures that carry each region's top terms."""
    term_columns = ["region", "term", "chi2", "g2", "p", "n_target", "n_reference"]
    measure_columns = ["region", "term", "doc_id", "measure_id", "text"]
    regions = sorted(measures["region"].unique())
    if len(regions) < 2:
        return pd.DataFrame(columns=term_columns), pd.DataFrame(columns=measure_columns)
    counts = pd.DataFrame(
        [(region, w) for region, ws in zip(measures["region"], words) for w in ws], columns=["region", "term"]
    ).value_counts().unstack(fill_value=0)
    totals = counts.sum(axis=1)
    term_rows, measure_rows = [], []
    for region in regions:
        if region not in counts.index:
            continue
        a = counts.loc[region].to_numpy(float)
        b = counts.drop(index=region).sum(axis=0).to_numpy(float)
        target_total, reference_total = totals[region], totals.drop(index=region).sum()
        chi = keyness.chi2(a, b, target_total, reference_total)
        g = keyness.g2(a, b, target_total, reference_total)
        order = np.lexsort((counts.columns.to_numpy(), -chi))
        top = [i for i in order if chi[i] > 0][:TOP_TERMS]
        p = keyness.p_value(chi[top]) if top else []
        for rank, i in enumerate(top):
            term = counts.columns[i]
            term_rows.append((region, term, round(chi[i], 4), round(g[i], 4), float(p[rank]), int(a[i]), int(b[i])))
        in_region = measures[measures["region"] == region]
        for i in top[:5]:
            term = counts.columns[i]
            carrying = in_region[in_region["text"].str.contains(term, regex=False)].head(TOP_MEASURES_PER_TERM)
            measure_rows += [(region, term, r.doc_id, r.measure_id, r.text) for r in carrying.itertuples()]
    return pd.DataFrame(term_rows, columns=term_columns), pd.DataFrame(measure_rows, columns=measure_columns)


def similarity(measures: pd.DataFrame, theme_table: pd.DataFrame, words: list[list[str]]):
    """Region pairs: cosine of theme profiles and of TF-IDF over their measures; and for each
    measure its nearest measures in other regions."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    pair_columns = ["region_a", "region_b", "theme_cosine", "text_cosine"]
    near_columns = ["region", "doc_id", "measure_id", "text", "rank", "similar_region", "similar_doc_id",
                    "similar_measure_id", "similar_text", "similarity"]
    regions = sorted(measures["region"].unique())
    if len(regions) < 2:
        return pd.DataFrame(columns=pair_columns), pd.DataFrame(columns=near_columns)
    profile = (
        theme_table[theme_table["dimension"] == "theme"].pivot_table(index="region", columns="category",
                                                                      values="share", fill_value=0.0)
        .reindex(regions, fill_value=0.0)
    )
    joined = [" ".join(w) for w in words]
    vectorizer = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False)
    matrix = vectorizer.fit_transform(joined)
    region_docs = pd.Series(joined).groupby(measures["region"].to_numpy()).agg(" ".join).reindex(regions)
    region_matrix = vectorizer.transform(region_docs)
    theme_sim = cosine_similarity(profile.to_numpy())
    text_sim = cosine_similarity(region_matrix)
    pairs = [
        (regions[i], regions[j], round(float(theme_sim[i, j]), 4), round(float(text_sim[i, j]), 4))
        for i in range(len(regions)) for j in range(i + 1, len(regions))
    ]
    region_of = measures["region"].to_numpy()
    rows = []
    for start in range(0, matrix.shape[0], 500):
        block = (matrix[start:start + 500] @ matrix.T).toarray()
        for offset, sims in enumerate(block):
            i = start + offset
            sims[region_of == region_of[i]] = -1.0  # other regions only
            best = np.argsort(-sims, kind="stable")[:NEAREST]
            src = measures.iloc[i]
            for rank, j in enumerate(best, start=1):
                if sims[j] < MIN_SIMILARITY:
                    break
                other = measures.iloc[j]
                rows.append((src.region, src.doc_id, src.measure_id, src.text, rank, other.region, other.doc_id,
                             other.measure_id, other.text, round(float(sims[j]), 4)))
    return pd.DataFrame(pairs, columns=pair_columns), pd.DataFrame(rows, columns=near_columns)


def _meets(value: float, comparator: str, threshold: float) -> bool:
    return {">=": value >= threshold, ">": value > threshold, "<=": value <= threshold, "<": value < threshold,
            "=": value == threshold}.get(comparator, value >= threshold)


def compare_standards(targets: pd.DataFrame, indicators: pd.DataFrame, regions: list[str],
                      standards: list[Standard]) -> pd.DataFrame:
    """For each national standard and region: what the region states (targets and reported
    indicators whose metric or text names the standard) and whether it meets the threshold."""
    stated = pd.concat(
        [targets.assign(source="target")[["region", "doc_id", "measure_id", "source", "metric", "text", "value", "unit"]],
         indicators.assign(source="indicator")[["region", "doc_id", "measure_id", "source", "metric", "text", "value", "unit"]]],
        ignore_index=True,
    )
    rows = []
    for standard in standards:
        wanted = f"{standard.comparator} {standard.value:g}{standard.unit}"
        hay = stated["metric"].fillna("") + " " + stated["text"].fillna("")
        mask = hay.apply(lambda h: any(k in h for k in standard.keywords)) if len(stated) else pd.Series(dtype=bool)
        matched = stated[mask] if len(stated) else stated
        for region in regions:
            mine = matched[matched["region"] == region]
            if mine.empty:
                rows.append((standard.id, standard.name, wanted, region, "", "", "", "", None, "", "not stated"))
                continue
            for r in mine.itertuples():
                if pd.isna(r.value) or (standard.unit and r.unit != standard.unit):
                    status = "not comparable"
                else:
                    status = "meets" if _meets(float(r.value), standard.comparator, standard.value) else "falls short"
                rows.append((standard.id, standard.name, wanted, region, r.doc_id, r.measure_id, r.source, r.text,
                             None if pd.isna(r.value) else float(r.value), r.unit, status))
    return pd.DataFrame(rows, columns=["standard", "name", "national", "region", "doc_id", "measure_id", "source",
                                       "text", "value", "unit", "status"])


def compare(out: str | Path, by: str = "province", standards_path: str | Path = STANDARDS_PATH) -> dict[str, pd.DataFrame]:
    """Every comparison table, keyed by file stem (``compare_themes``, ``compare_funding`` ...)."""
    with _open(out) as store:
        documents = store.table("documents")
        measures = store.table("measures")
        funding = store.table("funding")
        targets = store.table("targets")
        indicators = store.table("indicators")
    documents["region"] = region_labels(documents, by)
    region = documents.set_index("doc_id")["region"]
    for frame in (measures, funding, targets, indicators):
        frame["region"] = frame["doc_id"].map(region).fillna(UNKNOWN)
    labels = _theme_labels()
    words = _tokenised(measures["text"])
    themes = compare_themes(measures, labels)
    terms, carriers = distinctive(measures, words)
    pairs, nearest = similarity(measures, themes, words)
    regions = sorted(documents["region"].unique())
    funding_table = _with_every_region(
        compare_funding(funding, measures), regions,
        {"theme": "", "currency": "CNY", "total_yuan": 0.0, "approx_yuan": 0.0, "exact_yuan": 0.0, "n_amounts": 0,
         "per_unit_standards": "", "periods": ""},
    )
    targets_table = _with_every_region(compare_targets(targets), regions, {"metric": "", "text": "(no targets stated)"})
    return {
        "compare_themes": themes,
        "compare_funding": funding_table.sort_values(["region", "theme"], ignore_index=True),
        "compare_targets": targets_table,
        "distinctive_terms": terms,
        "distinctive_measures": carriers,
        "similarity": pairs,
        "nearest_measures": nearest,
        "standards": compare_standards(targets, indicators, regions, load_standards(standards_path)),
    }


def write_comparison(tables: dict[str, pd.DataFrame], out_dir: str | Path, formats=("csv",)) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        if "csv" in formats:
            path = out_dir / f"{name}.csv"
            frame.to_csv(path, index=False, encoding="utf-8-sig")
            written.append(path)
        if "parquet" in formats:
            path = out_dir / f"{name}.parquet"
            frame.to_parquet(path, index=False)
            written.append(path)
    return written
