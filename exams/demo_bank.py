"""The demo question bank: realistic TIC questions in Chinese and English.

Each entry: (code, competency, kind, stem_zh, stem_en, data, explanation). Option texts
are bilingual in one string; `data` is built with the helpers below.
"""

import hashlib


def _id(code: str, n: int) -> str:
    # Stable across re-seeding, opaque to candidates (never the option's position).
    return hashlib.sha256(f"{code}:{n}".encode()).hexdigest()[:6]


def single(code, options, right):
    return {
        "options": [
            {"id": _id(code, n), "text": text, "fraction": 1 if n == right else 0, "feedback": ""}
            for n, text in enumerate(options)
        ]
    }


def multiple(code, options, rights):
    share = round(1 / len(rights), 7)
    return {
        "options": [
            {
                "id": _id(code, n),
                "text": text,
                "fraction": share if n in rights else -share,
                "feedback": "",
            }
            for n, text in enumerate(options)
        ]
    }


def numeric(value, tolerance, units=()):
    return {
        "answers": [{"value": value, "tolerance": tolerance, "fraction": 1}],
        "units": [{"unit": u, "multiplier": m} for u, m in units],
    }


def short(*answers):
    return {"answers": [{"text": a, "fraction": 1} for a in answers], "case_sensitive": False}


def matching(code, pairs):
    return {
        "pairs": [{"id": _id(code, n), "prompt": p, "answer": a} for n, (p, a) in enumerate(pairs)]
    }


def ordering(code, items):
    return {"items": [{"id": _id(code, n), "text": t} for n, t in enumerate(items)]}


def essay(*criteria):
    return {"rubric": [{"criterion": c, "points": p} for c, p in criteria]}


EL = "电气产品检验"
PC = "产品认证工厂检查"
LAB = "实验室质量管理"

# fmt: off
QUESTIONS = [
    (EL, "EL-01", "EL-2.3", "single", "按 GB 4706.1，Ⅰ类器具基本绝缘的电气强度试验电压一般为多少？", "Under GB 4706.1, what test voltage is normally used for the electric strength test of basic insulation of a class I appliance?",
     single("EL-01", ["500 V", "1 000 V", "1 250 V", "3 750 V"], 2), "基本绝缘为 1 250 V（额定电压 > 150 V 且 ≤ 250 V）。 / 1 250 V for basic insulation at rated voltage 150–250 V."),
    (EL, "EL-02", "EL-2.3", "truefalse", "接地电阻测试时，试验电流应取器具额定电流的 1.5 倍或 25 A 中的较大者。", "In the earthing resistance test the test current is 1.5 times the rated current or 25 A, whichever is greater.",
     {"correct": True}, "GB 4706.1 第 27.5 条。 / GB 4706.1 clause 27.5."),
    (EL, "EL-03", "EL-2.3", "numeric", "接地电阻试验中，接地端子与易触及金属部件之间的电阻不应超过多少欧姆？", "In the earthing test, what is the maximum resistance in ohms between the earthing terminal and accessible metal parts?",
     numeric(0.1, 0.0, [("Ω", 1), ("mΩ", 1000)]), "不超过 0.1 Ω。 / Not more than 0.1 Ω."),
    (EL, "EL-04", "EL-2.3", "multiple", "进行电气强度试验前，检验员必须确认哪些事项？", "Before a dielectric strength test, which items must the inspector confirm?",
     multiple("EL-04", ["试验区域已隔离并设警示 / The test area is fenced off and signed", "耐压仪已在校准有效期内 / The tester is within its calibration period", "样品已完成潮态处理（如标准要求）/ The sample has been humidity-conditioned where the standard requires", "样品外壳颜色符合订单 / The enclosure colour matches the order"], {0, 1, 2}), ""),
    (EL, "EL-05", "EL-2.3", "single", "耐压试验中判定击穿的依据是什么？", "What indicates breakdown during a dielectric strength test?",
     single("EL-05", ["电流突然增大超过设定的脱扣电流 / The current rises suddenly above the trip setting", "样品表面温度升高 2 K / The surface temperature rises by 2 K", "试验时间超过 60 s / The test exceeds 60 s", "电压表读数波动 1% / The voltmeter fluctuates by 1%"], 0), ""),
    (EL, "EL-06", "EL-2.3", "shorttext", "测量绝缘电阻常用的仪器叫什么？（英文填写）", "What is the instrument commonly used to measure insulation resistance called?",
     short("megohmmeter", "insulation tester", "megger", "兆欧表", "绝缘电阻表"), ""),
    (EL, "EL-07", "EL-2.3", "ordering", "请按正确顺序排列泄漏电流测试步骤。", "Put the leakage current test steps in the right order.",
     ordering("EL-07", ["样品在 1.06 倍额定电压下工作 / Operate the sample at 1.06 × rated voltage", "待工作温度稳定 / Wait until operating temperature is stable", "连接测量网络 / Connect the measuring network", "读取并记录泄漏电流 / Read and record the leakage current"]), ""),
    (EL, "EL-08", "EL-2.3", "numeric", "额定电压 220 V 的器具，泄漏电流试验时施加的电压是多少伏？（1.06 倍，允许 ±1 V）", "For a 220 V appliance, what voltage is applied in the leakage current test (1.06 times, ±1 V)?",
     numeric(233.2, 1, [("V", 1), ("kV", 0.001)]), "220 × 1.06 = 233.2 V"),
    (EL, "EL-09", "EL-2.1", "single", "GB/T 2828.1 中，批量 N = 1 200、一般检验水平 Ⅱ 时的样本量字码是？", "In GB/T 2828.1, what is the sample size code letter for lot size N = 1 200 at general inspection level II?",
     single("EL-09", ["H", "J", "K", "L"], 1), "1 201–3 200 为 K，501–1 200 为 J。 / 501–1 200 is J."),
    (EL, "EL-10", "EL-2.1", "numeric", "字码 J 对应的样本量是多少？", "What sample size corresponds to code letter J?",
     numeric(80, 0), ""),
    (EL, "EL-11", "EL-2.1", "truefalse", "加严检验的样本量一定大于正常检验。", "Tightened inspection always uses a larger sample than normal inspection.",
     {"correct": False}, "加严检验通常降低接收数而非增大样本量。 / Tightened inspection usually lowers the acceptance number instead."),
    (EL, "EL-12", "EL-2.1", "matching", "将抽样术语与其含义配对。", "Match each sampling term to its meaning.",
     matching("EL-12", [("AQL", "接收质量限 / Acceptance quality limit"), ("Ac", "接收数 / Acceptance number"), ("Re", "拒收数 / Rejection number"), ("", "平均检出质量 / Average outgoing quality")]), ""),
    (EL, "EL-13", "EL-2.1", "multiple", "哪些情况应从正常检验转为加严检验？", "Which situations require switching from normal to tightened inspection?",
     multiple("EL-13", ["连续 5 批中有 2 批不接收 / 2 of 5 consecutive lots not accepted", "生产中断后恢复 / Production resumes after an interruption", "连续 10 批均被接收 / 10 consecutive lots accepted", "客户口头要求 / The customer asks verbally"], {0}), ""),
    (EL, "EL-14", "EL-2", "single", "CCC 认证标志中的 “S” 表示什么？", "What does the “S” in a CCC mark variant stand for?",
     single("EL-14", ["安全认证 / Safety", "标准 / Standard", "抽样 / Sampling", "服务 / Service"], 0), ""),
    (EL, "EL-15", "EL-2", "essay", "描述你在出厂检验中发现一台电热水壶外壳带电时应采取的措施。", "Describe what you do when, during a routine test, you find the enclosure of an electric kettle live.",
     essay(("立即断电并隔离样品 / Disconnects and isolates the sample", 2), ("记录不合格并通知质量负责人 / Records the nonconformity and informs the quality manager", 2), ("追溯同批产品 / Traces the rest of the lot", 1)), ""),
    (EL, "EL-16", "EL-2.3", "shorttext", "GB 4706.1 对应的国际标准编号是？", "Which international standard does GB 4706.1 correspond to?",
     short("IEC 60335-1", "IEC60335-1"), ""),

    (PC, "PC-01", "PC-1.1", "single", "工厂检查中，关键元器件的定期确认检验记录应保存多长时间？", "In a factory inspection, how long must records of periodic confirmation tests of critical components be kept?",
     single("PC-01", ["6 个月 / 6 months", "1 年 / 1 year", "不少于 2 年 / At least 2 years", "直到产品停产 / Until the product is discontinued"], 2), ""),
    (PC, "PC-02", "PC-1.1", "multiple", "工厂质量保证能力要求包括哪些方面？", "Which areas do factory quality assurance capability requirements cover?",
     multiple("PC-02", ["职责和资源 / Responsibilities and resources", "文件和记录 / Documents and records", "采购和关键元器件控制 / Purchasing and critical component control", "员工食堂管理 / Staff canteen management"], {0, 1, 2}), ""),
    (PC, "PC-03", "PC-1.1", "truefalse", "例行检验可以用抽样方式代替 100% 检验。", "Routine tests may be replaced by sampling instead of 100% testing.",
     {"correct": False}, "例行检验为生产线末端 100% 检验。 / Routine tests are 100% tests at the end of the line."),
    (PC, "PC-04", "PC-1.1", "ordering", "排列一次工厂检查的典型流程。", "Order the typical steps of a factory inspection.",
     ordering("PC-04", ["首次会议 / Opening meeting", "现场检查与抽样 / On-site inspection and sampling", "检查组内部沟通 / Team review", "末次会议并通报结果 / Closing meeting with findings"]), ""),
    (PC, "PC-05", "PC-1.1", "single", "发现一般不符合项时，工厂通常应在多长时间内完成整改？", "When a minor nonconformity is found, within what period must the factory usually correct it?",
     single("PC-05", ["7 天 / 7 days", "40 天 / 40 days", "3 个月 / 3 months", "下次检查前 / Before the next inspection"], 1), ""),
    (PC, "PC-06", "PC-1.1", "shorttext", "检查中发现的不满足要求的事实，称为“不符合”，其英文是？", "What is the English term for a finding that does not meet a requirement?",
     short("nonconformity", "non-conformity", "nonconformance"), ""),
    (PC, "PC-07", "PC-1.1", "matching", "将文件与其用途配对。", "Match each document to its purpose.",
     matching("PC-07", [("作业指导书 / Work instruction", "规定岗位操作方法 / Defines how a task is done"), ("检验记录 / Inspection record", "证明已实施检验 / Proves a test was done"), ("校准证书 / Calibration certificate", "证明设备量值溯源 / Proves traceability of an instrument")]), ""),
    (PC, "PC-08", "PC-1.1", "essay", "工厂声称例行检验设备“每天点检”，但无记录。说明你如何核实并形成结论。", "A factory says routine test equipment is “checked daily” but has no records. Explain how you verify this and reach a finding.",
     essay(("询问操作人员并现场演示 / Interviews operators and asks for a demonstration", 2), ("抽查设备功能检查 / Samples a function check", 2), ("按证据开具不符合 / Raises a nonconformity based on evidence", 2)), ""),
    (PC, "PC-09", "PC-1.2", "single", "产品一致性检查主要比对的是什么？", "What does a product conformity check mainly compare?",
     single("PC-09", ["认证样品与在产产品 / The certified type against current production", "两家工厂的产品 / Products of two factories", "产品价格与成本 / Price and cost", "包装与运输方式 / Packaging and shipping"], 0), ""),
    (PC, "PC-10", "PC-1.2", "multiple", "一致性检查时应核对的内容有哪些？", "Which items are checked in a conformity check?",
     multiple("PC-10", ["铭牌与标识 / Rating plate and marking", "关键元器件型号与制造商 / Critical component models and makers", "产品结构 / Construction", "销售合同金额 / Sales contract value"], {0, 1, 2}), ""),
    (PC, "PC-11", "PC-1.2", "truefalse", "关键元器件变更未经认证机构批准即可使用，只要性能更好。", "A critical component may be changed without the certification body's approval if it performs better.",
     {"correct": False}, ""),
    (PC, "PC-12", "PC-1.2", "numeric", "某批 500 台中抽 3 台做一致性检查，抽样比例是多少百分比？", "3 of 500 units are taken for a conformity check: what percentage is that?",
     numeric(0.6, 0.01, [("%", 1)]), ""),
    (PC, "PC-13", "PC-1", "single", "CCC 认证的主管部门是？", "Which authority oversees CCC certification?",
     single("PC-13", ["国家认证认可监督管理委员会 / CNCA", "国家药监局 / NMPA", "海关总署 / GACC", "工信部 / MIIT"], 0), ""),
    (PC, "PC-14", "PC-1", "shorttext", "ISO/IEC 17065 规定的是哪类机构的要求？（英文）", "ISO/IEC 17065 sets requirements for which kind of body?",
     short("product certification bodies", "product certification body", "产品认证机构"), ""),
    (PC, "PC-15", "PC-1.1", "single", "检查员发现自己曾为该工厂提供咨询，应当？", "An inspector finds they once consulted for the factory. What should they do?",
     single("PC-15", ["声明利益冲突并回避 / Declare the conflict and withdraw", "继续检查但不告知 / Continue without telling anyone", "只检查不相关的部门 / Inspect unrelated departments only", "请工厂出具说明 / Ask the factory for a statement"], 0), "公正性要求（ISO/IEC 17065 4.2）。 / Impartiality (ISO/IEC 17065 4.2)."),
    (PC, "PC-16", "PC-1.1", "multiple", "以下哪些属于严重不符合？", "Which of these are major nonconformities?",
     multiple("PC-16", ["在产产品与认证样品结构不一致 / Production differs in construction from the certified type", "未进行例行检验 / Routine tests not performed", "一份记录缺少签名 / One record lacks a signature"], {0, 1}), ""),

    (LAB, "LAB-01", "LAB-1.1", "single", "A 类标准不确定度是通过什么方法评定的？", "How is a Type A standard uncertainty evaluated?",
     single("LAB-01", ["对观测列进行统计分析 / Statistical analysis of a series of observations", "依据校准证书 / From a calibration certificate", "依据经验判断 / By experience", "依据制造商说明书 / From the maker's manual"], 0), ""),
    (LAB, "LAB-02", "LAB-1.1", "numeric", "10 次测量的实验标准偏差为 0.30 mm，平均值的标准不确定度是多少 mm？（±0.005）", "Ten readings have an experimental standard deviation of 0.30 mm. What is the standard uncertainty of the mean in mm (±0.005)?",
     numeric(0.095, 0.005, [("mm", 1), ("μm", 1000)]), "0.30 / √10 ≈ 0.095 mm"),
    (LAB, "LAB-03", "LAB-1.1", "single", "包含因子 k = 2 时，扩展不确定度对应的包含概率约为？", "With coverage factor k = 2, the expanded uncertainty corresponds to a coverage probability of about?",
     single("LAB-03", ["68%", "90%", "95%", "99.7%"], 2), ""),
    (LAB, "LAB-04", "LAB-1.1", "truefalse", "矩形分布的标准不确定度等于半宽度除以 √3。", "For a rectangular distribution, the standard uncertainty is the half-width divided by √3.",
     {"correct": True}, ""),
    (LAB, "LAB-05", "LAB-1", "multiple", "CNAS-CL01 对设备管理的要求包括？", "Which equipment requirements does CNAS-CL01 include?",
     multiple("LAB-05", ["校准计划 / A calibration programme", "期间核查 / Intermediate checks", "设备唯一性标识 / Unique identification", "设备采购价格公开 / Publishing purchase prices"], {0, 1, 2}), ""),
    (LAB, "LAB-06", "LAB-1", "shorttext", "实验室认可依据的国际标准是 ISO/IEC ____ 。", "Laboratory accreditation is based on ISO/IEC ____.",
     short("17025", "ISO/IEC 17025", "17025:2017"), ""),
    (LAB, "LAB-07", "LAB-1.1", "ordering", "按 GUM 方法排列不确定度评定步骤。", "Order the steps of an uncertainty evaluation following the GUM.",
     ordering("LAB-07", ["建立测量模型 / Define the measurement model", "识别不确定度来源 / Identify the sources", "评定各标准不确定度 / Evaluate each standard uncertainty", "合成并计算扩展不确定度 / Combine and expand"]), ""),
    (LAB, "LAB-08", "LAB-1", "matching", "将质量控制方法与其说明配对。", "Match each quality-control method to its description.",
     matching("LAB-08", [("能力验证 / Proficiency testing", "实验室间比对 / Interlaboratory comparison"), ("留样再测 / Retesting retained items", "同一样品再次测量 / Measuring the same item again"), ("控制图 / Control chart", "监控结果趋势 / Tracking results over time")]), ""),
    (LAB, "LAB-09", "LAB-1", "truefalse", "检测报告发出后发现错误，可以直接修改原报告而不留记录。", "If an issued test report has an error, it may be edited without any record.",
     {"correct": False}, "应发布修改报告并标识替代关系。 / Issue an amended report that identifies the one it replaces."),
    (LAB, "LAB-10", "LAB-1.1", "essay", "某温度计校准证书给出 U = 0.2 ℃（k = 2）。说明如何将其纳入你的测量不确定度预算。", "A thermometer calibration certificate states U = 0.2 °C (k = 2). Explain how you include it in your uncertainty budget.",
     essay(("换算为标准不确定度 0.1 ℃ / Converts to a standard uncertainty of 0.1 °C", 2), ("说明灵敏系数 / States the sensitivity coefficient", 1), ("与其他分量合成 / Combines it with the other components", 2)), ""),
    (LAB, "LAB-11", "LAB-1.1", "numeric", "两个独立分量的标准不确定度分别为 0.3 和 0.4，合成标准不确定度是多少？", "Two independent components have standard uncertainties 0.3 and 0.4. What is the combined standard uncertainty?",
     numeric(0.5, 0.001), "√(0.3² + 0.4²) = 0.5"),
]
# fmt: on
