"""Regenerate the bundled sample corpus from the texts written in this file.

Every sample is an invented, short education-equity (义务教育优质均衡) report written for zhengce;
none is copied from a real document. The texts live here as Python strings; this script encodes them
(GBK, UTF-8 HTML, .docx, Big5-HKSCS, UTF-16 with BOM, .pdf with a text layer) and then checks that
each file reads back to the text it was made from. The generated files are committed next to it.

Run from the repository root::

    .venv/bin/python corpus/samples_src/make_samples.py          # write every file, then verify
    .venv/bin/python corpus/samples_src/make_samples.py --check  # verify the committed files only

Output is byte-for-byte reproducible (fixed zip timestamps, reportlab ``invariant=1``).
"""
from __future__ import annotations

import argparse
import io
import logging
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

LOGGER = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent.parent / "samples"

# --------------------------------------------------------------------------------------------------
# 1. County work report, simplified, GBK, in a subfolder (recursive reading).
# --------------------------------------------------------------------------------------------------
SHANGSHUI = """\
商水县：加大投入补短板 扎实推进义务教育优质均衡发展

发布时间: 2023-06-15 09:30　来源：商水县教育体育局

　　近年来，商水县坚持把义务教育优质均衡发展作为县委、县政府的重点民生工程，统筹城乡教育资源，持续改善农村学校办学条件，全县义务教育整体水平稳步提升。现将有关工作情况报告如下。

一、主要做法
（一）加大经费投入，补齐办学条件短板
1. 实施校舍改扩建工程。2020年以来，县财政累计投入2.3亿元，用于农村学校校舍改扩建和功能室建设，共新建、改扩建校舍5.6万平方米，新增学位3600个，城区学校大班额问题基本消除。
2. 推进教育信息化建设。多渠道筹措资金8000多万元，新购计算机1200台，全县中小学实现“班班通”全覆盖，城乡学校共享优质课程资源。
3. 落实寄宿生生活补助。对农村寄宿制学校家庭经济困难学生，按每生每年800元的标准发放生活补助，做到应补尽补。
（二）加强教师队伍建设，提升农村师资水平
1. 补充农村教师。通过特岗计划和公开招聘，补充农村学校教师260人，重点补齐音乐、体育、美术等学科教师。
2. 强化教师培训。县财政安排近300万元专项经费，分层分类开展校长和骨干教师培训，推动城区学校与乡镇学校结对交流。
（三）关爱特殊群体，促进教育公平
建立留守儿童关爱台账，组织骨干教师与800名学生结对帮扶，定期开展家访和心理辅导，确保适龄儿童“一个都不少”。

二、存在的问题
一是部分乡镇学校功能室利用率不高；二是农村学校音体美教师仍有缺口；三是城区学位供给压力依然较大。

三、下一步打算
力争到2025年底，全县义务教育学校全部达到省定办学标准，城乡学校办学条件差距明显缩小。继续落实教育经费“两个只增不减”要求，确保各项指标如期达标。
"""

# --------------------------------------------------------------------------------------------------
# 2. Provincial implementation plan, simplified, UTF-8 HTML with site boilerplate.
# --------------------------------------------------------------------------------------------------
HUNAN_TITLE = "湖南省教育厅关于印发《湖南省推进县域义务教育优质均衡发展实施方案》的通知"
HUNAN_BODY = [
    "各市州教育（体育）局：",
    "　　为加快推进县域义务教育优质均衡发展，现将《湖南省推进县域义务教育优质均衡发展实施方案》"
    "印发给你们，请结合实际认真贯彻落实。",
    "湖南省推进县域义务教育优质均衡发展实施方案",
    "一、工作目标",
    "到2027年，全省义务教育学校办学条件基本达到国家优质均衡标准，城乡、校际差距进一步缩小；"
    "到2030年，全省85%左右的县（市、区）实现县域义务教育优质均衡发展，并通过国家督导评估认定。",
    "二、重点任务",
    "（一）科学规划学校布局。各地要根据人口变化趋势编制义务教育学校布局规划，新建住宅小区配套学校"
    "与住宅同步规划、同步建设、同步交付使用，已建小区配套学校缺口须在3年内补齐。",
    "（二）推进教师均衡配置。全面推行县管校聘管理改革，县域内每年交流轮岗教师中骨干教师比例不低于50%，"
    "新招聘教师优先补充乡村学校和薄弱学校。",
    "（三）提升学校卫生健康服务。600名学生以上的学校配备至少1名专职卫生专业技术人员，"
    "600名学生以下的学校配备专职或兼职保健教师。",
    "（四）深化教育教学改革。严格落实国家课程方案，开齐开足体育、美育、劳动教育课程，"
    "持续巩固&ldquo;双减&rdquo;成果。",
    "三、保障措施",
    "（一）强化组织领导。各级人民政府是推进义务教育优质均衡发展的责任主体，"
    "要将其纳入经济社会发展规划和政府工作重点。",
    "（二）强化督导评估。省人民政府教育督导委员会办公室每年至少开展1次专项督导，督导结果向社会公开，"
    "并作为对市县政府履行教育职责评价的重要依据。",
    "湖南省教育厅",
    "2023年9月20日",
]
HUNAN_RELATED = [
    ("岳阳市召开义务教育优质均衡发展推进会", "2023-09-12"),
    ("江西省：多举措推进县域义务教育优质均衡", "2023-08-30"),
    ("省教育厅部署2023年秋季学期开学工作", "2023-08-25"),
]


def hunan_html() -> str:
    """The provincial plan as a government web page: menus, share bar, footer, related links."""
    body = "\n".join(f"<p>{p}</p>" for p in HUNAN_BODY)
    related = "\n".join(
        f'<li><a href="/xxgk/{i}.html">{t}</a><span class="date">{d}</span></li>'
        for i, (t, d) in enumerate(HUNAN_RELATED, start=1)
    )
    return f"""\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{HUNAN_TITLE}_湖南省教育厅</title>
<style>body {{ font-family: "Microsoft YaHei"; }} .nav li {{ display: inline; }}</style>
<script>var siteId = "jyt"; var columnName = "政策文件";</script>
</head>
<body>
<div class="header">
<div class="logo">湖南省教育厅</div>
<ul class="nav">
<li><a href="/">首页</a></li><li><a href="/jggk/">机构概况</a></li><li><a href="/xxgk/">政务公开</a></li>
<li><a href="/zcwj/">政策文件</a></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li>
</ul>
<div class="search"><input type="text" placeholder="请输入关键词"><button>搜索</button></div>
</div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政务公开</a> &gt; 政策文件</div>
<div class="article">
<h1>{HUNAN_TITLE}</h1>
<div class="info"><span>发布日期：2023-09-20 16:05</span>&nbsp;&nbsp;<span>来源：基础教育处</span>&nbsp;&nbsp;<span>字号：大 中 小</span></div>
<div class="share">分享到: 微信 微博</div>
<div class="content">
{body}
</div>
<div class="print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="related">
<h3>相关阅读</h3>
<ul>
{related}
</ul>
</div>
<div class="footer">
<p>主办：湖南省教育厅　联系地址：湖南省长沙市　邮编：410000</p>
<p>版权所有 © 2023 湘ICP备00000000号　网站标识码：0000000000</p>
</div>
</body>
</html>
"""


# --------------------------------------------------------------------------------------------------
# 3. City notice, simplified, .docx. (heading) marks a heading paragraph, written bold.
# --------------------------------------------------------------------------------------------------
YIBIN = [
    ("title", "宜宾市人民政府办公室关于深化改革推进义务教育优质均衡发展的通知"),
    ("p", "各区县人民政府，市级有关部门："),
    ("p", "　　为进一步促进全市义务教育优质均衡发展，经市政府同意，现就有关事项通知如下。"),
    ("h", "一、推进集团化办学"),
    ("p", "以优质学校为龙头组建教育集团，实行“一长多校”“名校+新校”等模式。一是统一管理制度，"
          "实现集团内课程、教研、评价一体化；二是共享师资资源，集团内教师统一调配、双向流动；"
          "三是共建数字资源，依托“班班通”开展同步课堂和远程教研。到2025年底，"
          "全市义务教育阶段集团化办学覆盖率达到70%以上。"),
    ("h", "二、深化教师管理改革"),
    ("h", "（一）全面实施县管校聘。"),
    ("p", "区县教育行政部门统筹管理教师编制和岗位，学校按岗聘用，打破教师交流的校际壁垒。"),
    ("h", "（二）推进交流轮岗。"),
    ("p", "城镇学校教师每年交流轮岗比例不低于符合条件教师总数的10%，交流轮岗经历作为职称评聘的必要条件。"),
    ("h", "三、落实“双减”和“五项管理”"),
    ("p", "严控书面作业总量，规范作业、睡眠、手机、读物、体质管理，课后服务实现义务教育学校全覆盖。"),
    ("h", "四、关爱特殊群体"),
    ("p", "一是健全农村留守儿童关爱服务体系，落实“一对一”帮扶；二是保障进城务工人员随迁子女平等接受"
          "义务教育，坚持以居住证为主要依据就近入学；三是改善农村寄宿制学校生活设施，配齐生活老师。"),
    ("h", "五、强化经费保障"),
    ("p", "2024—2026年，市级财政统筹安排1-2亿元，用于支持薄弱学校改造和教育信息化建设。"
          "对通过省级评估认定的义务教育优质均衡示范学校，一次性最高奖励50万元。"),
    ("p", "宜宾市人民政府办公室"),
    ("p", "2024年3月8日"),
]
YIBIN_TEXT = "\n".join(t for _, t in YIBIN)

# --------------------------------------------------------------------------------------------------
# 4. County plan, traditional, Big5-HKSCS, with scraped-page pinyin annotations added below.
# --------------------------------------------------------------------------------------------------
WUHUA_CLEAN = """\
- 市政府網
- 政務微信
- 無障礙瀏覽
五華縣推進義務教育優質均衡發展三年行動方案(2023—2025年)
發布日期:2023-04-12 來源:五華縣教育局
根據省、市關於推進各縣(市、區)義務教育優質均衡發展的部署要求,為加快補齊我縣義務教育短板,推動城鄉義務教育一體化發展,結合我縣實際,制定本方案。
一、總體目標
力爭用3年時間,全縣義務教育學校辦學條件、師資配置和教育質量全面提升,城鄉、校際差距明顯縮小,縣域義務教育優質均衡發展通過省級督導評估。
二、重點任務
(一)改善農村學校辦學條件。2025年底前完成12所農村寄宿制學校改擴建,三年計劃籌措資金1.5億元,用於校舍建設、運動場改造和教學儀器更新。
(二)建強教師隊伍。實行縣域內教師統一招聘、統一調配,推進城區學校教師到鄉村學校交流輪崗,每年選派骨幹教師參加省、市培訓。
(三)深化集團化辦學。由縣城優質學校牽頭,組建6個城鄉教育共同體,實行管理、教研、考核一體化,以強帶弱、共同發展。
(四)加強督導考核。縣人民政府教育督導室每學期至少開展1次專項督導,將督導結果納入對各鎮教育工作的年度考核。
三、保障措施
各鎮、各學校要把推進義務教育優質均衡發展擺在突出位置,主要負責人親自抓,確保各項任務落到實處。縣財政要將義務教育經費納入年度預算並優先保障,專款專用,嚴禁擠佔挪用。
您訪問的鏈接即將離開“梅州市人民政府”門戶網站,是否繼續?
"""
# Characters a scraped page annotates with tone-marked pinyin, as in 網(wǎng).
PINYIN = {
    "網": "wǎng", "務": "wù", "學": "xué", "發": "fā", "區": "qū",
    "質": "zhì", "續": "xù", "師": "shī", "當": "dāng", "鄉": "xiāng",
}


def annotate_pinyin(text: str) -> str:
    """Append ``(pinyin)`` after every character listed in PINYIN, as scraped pages do."""
    return "".join(f"{c}({PINYIN[c]})" if c in PINYIN else c for c in text)


WUHUA = annotate_pinyin(WUHUA_CLEAN)

# --------------------------------------------------------------------------------------------------
# 5. Town report, simplified, full-width digits, UTF-16 with BOM, no identifiable county.
# --------------------------------------------------------------------------------------------------
TOWN = """\
青石镇２０２３年义务教育工作情况汇报
时间:2023-11-02 10:12:45

　　２０２３年，我镇在县委、县政府和县教育局的领导下，围绕义务教育优质均衡发展目标，扎实做好控辍保学、校园安全和办学条件改善等工作，现将有关情况汇报如下。
一、基本情况
全镇现有小学４所、初中１所，在校学生２１６０人，教职工１７８人。镇中心小学为寄宿制学校，现有寄宿生３８０人。全年适龄儿童入学率为１００％，未发生学生辍学情况。
二、主要工作
（一）改善办学条件。全镇共投入１５００万元，用于镇中心小学教学楼改造和两所村小厕所、食堂改造，新增学位２７０个。
（二）落实控辍保学。建立镇、村、校三级联保责任制，对重点学生实行“一生一案”跟踪管理，做到早发现、早劝返。
（三）创建平安校园。全年开展安全隐患排查１２次，组织防溺水、消防等应急演练，联合派出所、卫生院做好校园周边治理和食品安全检查，学校未发生安全责任事故。
（四）关爱留守儿童。建立留守儿童档案，安排教师担任“代理家长”，定期开展谈心谈话和学业辅导。
（五）加强教师培训。组织教师参加县级以上业务培训３２０人次，选派青年教师到县城学校跟岗学习，教师信息技术应用能力明显提升。
三、明年工作打算
明年力争新建塑胶运动场２个，镇中心小学音乐、美术功能室达到省定标准，持续巩固控辍保学成果。同时积极争取上级支持，推动镇初中学生宿舍改造项目早日立项，不断提升农村学校办学水平。
"""

# --------------------------------------------------------------------------------------------------
# 6. National notice, simplified, .pdf with a text layer (STSong-Light CID font).
# --------------------------------------------------------------------------------------------------
MOE = [
    ("title", "教育部关于进一步推进义务教育优质均衡发展的通知"),
    ("p", "各省、自治区、直辖市教育厅（教委），新疆生产建设兵团教育局："),
    ("p", "　　为深入推进义务教育优质均衡发展，切实缩小城乡、区域、校际差距，现就有关工作通知如下。"),
    ("h", "一、加快推进县域优质均衡创建"),
    ("p", "各省级教育行政部门要制定县域义务教育优质均衡发展推进计划，2026年底前，"
          "各地要完成县域义务教育优质均衡发展规划编制和首批县的督导评估认定。"),
    ("h", "二、保障特殊群体平等受教育权利"),
    ("p", "健全残疾儿童少年入学评估安置机制，适龄残疾儿童少年义务教育入学率达到95%以上。"
          "完善进城务工人员随迁子女入学政策，随迁子女在公办学校就读比例不低于85%。"),
    ("h", "三、完善经费投入机制"),
    ("p", "落实义务教育经费“两个只增不减”要求。各地要将农村学校生均公用经费标准提高到小学每生每年650元、"
          "初中每生每年850元，对不足100人的农村小规模学校按100人核定公用经费。"),
    ("h", "四、改善学校办学条件"),
    ("p", "推进义务教育学校标准化建设，改善农村学校寄宿条件，加强学校图书馆、实验室和体育场地建设，"
          "推动国家智慧教育平台优质资源进课堂，提升乡村学校信息化应用水平。"),
    ("h", "五、加强教师统筹配置"),
    ("p", "深化县管校聘管理改革，推进县域内校长教师交流轮岗，绩效工资分配向乡村学校和薄弱学校倾斜，"
          "通过集团化办学、城乡学校共同体等方式，扩大优质教育资源覆盖面。"),
    ("h", "六、加强督导问责"),
    ("p", "将义务教育优质均衡发展情况纳入对省级人民政府履行教育职责评价，对工作推进不力的地方进行约谈。"),
    ("sign", "教育部"),
    ("sign", "2024年5月20日"),
]
MOE_TEXT = "\n".join(t for _, t in MOE)

FIXED_TIME = datetime(2024, 3, 8, 9, 0, 0)


def _docx_bytes() -> bytes:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    core = document.core_properties
    core.title, core.author, core.last_modified_by = YIBIN[0][1], "", ""
    core.created = core.modified = FIXED_TIME
    core.revision = 1
    for kind, text in YIBIN:
        para = document.add_paragraph()
        run = para.add_run(text)
        run.font.name = "FangSong"
        run.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
        run.font.size = Pt(22 if kind == "title" else 16)
        run.bold = kind in ("title", "h")
    buf = io.BytesIO()
    document.save(buf)
    return _fix_zip_times(buf.getvalue())


def _fix_zip_times(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps so the .docx is reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _pdf_bytes() -> bytes:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    base = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=20, wordWrap="CJK")
    styles = {
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=26, alignment=TA_CENTER),
        "h": ParagraphStyle("h", parent=base, fontSize=13),
        "p": base,
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT),
    }
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title=MOE[0][1], author="", creator="", invariant=1)
    story = []
    for kind, text in MOE:
        story.append(Paragraph(text, styles[kind]))
        if kind == "title":
            story.append(Spacer(1, 12))
    doc.build(story)
    return buf.getvalue()


def build() -> dict[str, bytes]:
    """Every sample as ``{relative path: bytes}``."""
    return {
        "county/shangshui_report_gbk.txt": SHANGSHUI.encode("gbk"),
        "hunan_plan.html": hunan_html().encode("utf-8"),
        "yibin_notice.docx": _docx_bytes(),
        "wuhua_plan_big5.txt": WUHUA.encode("big5hkscs"),
        "town_report_utf16.txt": TOWN.encode("utf-16"),  # the codec writes a BOM
        "moe_notice.pdf": _pdf_bytes(),
    }


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def verify(root: Path = HERE) -> list[str]:
    """Read every sample back and compare it with its source text; return the problems found."""
    import docx
    import pypdf

    problems: list[str] = []

    def check(name: str, got: str, want: str) -> None:
        if got != want:
            problems.append(f"{name}: read-back differs from the source text")

    check("county/shangshui_report_gbk.txt",
          (root / "county/shangshui_report_gbk.txt").read_bytes().decode("gbk"), SHANGSHUI)
    check("hunan_plan.html", (root / "hunan_plan.html").read_bytes().decode("utf-8"), hunan_html())
    raw = (root / "wuhua_plan_big5.txt").read_bytes()
    check("wuhua_plan_big5.txt", raw.decode("big5hkscs"), WUHUA)
    # The Chinese text itself is plain Big5; only the tone-marked pinyin needs the HKSCS extension.
    WUHUA_CLEAN.encode("big5")
    raw = (root / "town_report_utf16.txt").read_bytes()
    if not raw.startswith(b"\xff\xfe"):
        problems.append("town_report_utf16.txt: no UTF-16LE BOM")
    check("town_report_utf16.txt", raw.decode("utf-16"), TOWN)
    paras = docx.Document(str(root / "yibin_notice.docx")).paragraphs
    check("yibin_notice.docx", "\n".join(p.text for p in paras), YIBIN_TEXT)
    reader = pypdf.PdfReader(str(root / "moe_notice.pdf"))
    pdf_text = "\n".join(page.extract_text() for page in reader.pages)
    # Wrapped lines break mid-sentence in a PDF, so compare without whitespace.
    check("moe_notice.pdf", _squeeze(pdf_text), _squeeze(MOE_TEXT))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="verify the committed files (bytes and read-back) without writing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    files = build()
    for rel, data in files.items():
        path = HERE / rel
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                LOGGER.error("%s: differs from what make_samples.py generates", rel)
                return 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        LOGGER.info("wrote %s (%d bytes)", rel, len(data))
    problems = verify()
    for problem in problems:
        LOGGER.error(problem)
    if not problems:
        LOGGER.info("all %d samples read back to their source text", len(files))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
