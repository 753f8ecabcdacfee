"""A tiny labelled set of measures shared by the classifier and predictor tests."""

# (text, theme, instrument): enough to fit a model and check the estimator contract.
TINY = [
    ("推进义务教育阶段教师交流轮岗,每年交流比例不低于10%", "teachers", "supply"),
    ("实施乡村教师培训计划,五年内完成全员轮训", "teachers", "supply"),
    ("落实县管校聘管理改革,统筹调配教师编制", "teachers", "environment"),
    ("实现义务教育学校班班通全覆盖", "digital", "supply"),
    ("建设县级智慧教育平台,推进数字校园建设", "digital", "supply"),
    ("提升农村学校宽带网络接入水平", "digital", "supply"),
    ("建立农村留守儿童关爱服务体系", "equity", "environment"),
    ("保障进城务工人员随迁子女平等接受义务教育", "equity", "environment"),
    ("对家庭经济困难学生给予生活补助", "equity", "supply"),
    ("改扩建农村寄宿制学校,消除大班额", "facilities", "supply"),
    ("推进义务教育学校标准化建设,改善办学条件", "facilities", "supply"),
    ("新建城区学校,增加公办学位供给", "facilities", "supply"),
]
TEXTS = [t for t, _, _ in TINY]
THEMES = [t for _, t, _ in TINY]
INSTRUMENTS = [i for _, _, i in TINY]
