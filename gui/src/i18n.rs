//! The two languages of the interface, switchable while the app runs. Every label the app
//! draws is a [`Msg`]; the key catalog's own texts (units, meanings, sources) and the
//! validator's messages come from the library in English and are shown as they are.

/// Interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The language's own name, for the switcher.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }

    /// The text of a message in this language.
    pub fn t(self, m: Msg) -> &'static str {
        let (en, zh) = m.texts();
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// From a command-line word (`en`, `zh`).
    pub fn parse(word: &str) -> Option<Lang> {
        match word {
            "en" => Some(Lang::En),
            "zh" | "zh-CN" | "zh_CN" => Some(Lang::Zh),
            _ => None,
        }
    }
}

macro_rules! messages {
    ($($id:ident => $en:literal, $zh:literal;)*) => {
        /// Every text of the interface.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($id),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$id),*];

            fn texts(self) -> (&'static str, &'static str) {
                match self { $(Msg::$id => ($en, $zh)),* }
            }
        }
    };
}

messages! {
    AppTitle => "sisandbox: social insurance of university staff", "sisandbox：高校教职工社会保险政策模拟";
    Language => "Language", "语言";
    Scenarios => "Scenarios", "情景";
    ScenarioFile => "Scenario file", "情景文件";
    Open => "Open", "打开";
    NewScenario => "New", "新建";
    NewReform => "New reform from this", "以此为基准新建改革";
    Save => "Save", "保存";
    SaveAs => "Save as", "另存为";
    CloseDoc => "Close", "关闭";
    Unsaved => "unsaved", "未保存";
    TabForm => "Levers", "参数";
    TabText => "TOML text", "TOML 文本";
    TabDiff => "Changes vs base", "与基准的差异";
    TabRun => "Run", "运行";
    TabCompare => "Compare", "比较";
    TabHeadline => "Headline", "要点";
    HlReplacement => "Replacement rate", "替代率";
    HlReplacementShort => "replacement rate", "替代率";
    HlTakeHome => "Take-home pay (yuan/month)", "到手工资（元/月）";
    HlPerception => "Perceived welfare (index)", "福利感知（指数）";
    HlExits => "Staff who left over the run", "模拟期内离职人数";
    HlCost => "University employer cost over the run", "模拟期内高校单位缴费成本";
    HlCostShort => "employer cost", "单位成本";
    HlFund => "Pooled pension fund at the end", "期末养老统筹基金余额";
    HlOutcome => "Outcome", "指标";
    HlGroup => "Staff", "人员";
    HlReform => "Reform", "改革";
    HlRelative => "Relative", "相对变化";
    HlCostByYear => "Δ university employer cost by year (mean and 95 % interval over replications)", "各年高校单位成本之差（各次重复的均值与 95% 区间）";
    HlRrByTrack => "Δ replacement rate by track (percentage points, 95 % interval)", "按编制类别的替代率之差（百分点，95% 区间）";
    HlDiffLine => "reform − baseline", "改革 − 基准";
    HlPpAxis => "Δ percentage points", "差值（百分点）";
    Versus => "vs", "对比";
    HlNote => "Each difference is the mean over replications of reform minus baseline (replication k of each shares seed + k), with its 95 % Student-t interval.", "每个差值均为各次重复中“改革 − 基准”的均值（两者第 k 次重复使用同一种子 seed + k），附 95% t 区间。";
    HlNoSplit => "The split into a mechanical part (rules on unchanged behaviour) and a behavioural part is not available yet.", "机械效应（行为不变时规则的影响）与行为效应的分解暂不可用。";
    Valid => "Valid scenario", "情景有效";
    Problems => "Problems", "问题";
    Allowed => "allowed", "允许";
    Unit => "unit", "单位";
    Source => "source", "来源";
    ListKeysNote => "Lists and dated tables take a TOML value (press Enter to apply).", "列表和分时段参数请输入 TOML 值（按回车应用）。";
    LeversNote => "Policy levers first, then the rules, then the model's internals. Numbers are committed with Enter; hover a name for its meaning, unit and source.", "先列政策杠杆，再列规则，最后是模型内部参数。数字按回车确认；将鼠标悬停在名称上可查看含义、单位和来源。";
    KeysChanged => "keys set in this file (the rest come from its base or the defaults)", "本文件设定的参数个数（其余来自基准情景或默认值）";
    ResetToBase => "Reset to base: remove this key from the file so the base value applies", "恢复基准：从本文件删除此参数，使用基准值";
    Reset => "reset to base", "恢复基准";
    OverriddenHere => "Set in this file.", "在本文件中设定。";
    From => "from", "起始";
    Region => "region", "地区";
    AddRow => "+ dated entry", "+ 分时段条目";
    RemoveRow => "Remove this entry", "删除此条目";
    TopLevel => "Top level", "顶层";
    DiffBase => "Base scenario", "基准情景";
    DiffNone => "No key differs.", "没有不同的参数。";
    Key => "Key", "参数";
    Lever => "Lever", "杠杆/参数";
    BaseValue => "Base", "基准";
    ThisValue => "This scenario", "本情景";
    Replications => "Replications", "重复次数";
    Threads => "Threads (0 = all cores)", "线程数（0 = 全部核心）";
    Agents => "Agents", "人数";
    RunButton => "Run", "运行";
    RunAll => "Run all valid", "运行全部有效情景";
    Cancel => "Cancel", "取消";
    CancelHelp => "Stops the run under way after the current month; its finished replications are kept and the queue goes on.", "在当前月结束后停止正在进行的运行；已完成的重复保留，队列继续。";
    ClearQueue => "Clear queue", "清空队列";
    ReplicationsKept => "replications kept", "次重复已保留";
    Queued => "Queued", "排队中";
    Running => "Running", "运行中";
    Replication => "replication", "重复";
    Month => "month", "月";
    Finished => "Finished", "已完成";
    Cancelled => "Cancelled", "已取消";
    Failed => "Failed", "失败";
    OpenDialog => "Open…", "打开…";
    SaveAsDialog => "Save as…", "另存为…";
    OpenTitle => "Open a scenario", "打开情景文件";
    ScenarioFiles => "Scenario files", "情景文件";
    ExportTitle => "Export", "导出";
    LiveTitle => "Live: series of the replications finished so far", "实时：已完成重复的时间序列";
    LiveWaiting => "The series are drawn here as each replication finishes.", "每完成一次重复，其时间序列即在此绘出。";
    RunsFound => "sets of runs found", "组运行结果";
    ScanRuns => "Find runs in this folder", "查找此文件夹中的运行结果";
    FromDisk => "runs found on disk (read when ticked)", "磁盘上的运行结果（勾选时读取）";
    KAnonymous => "k-anonymous", "k-匿名";
    NotAvailable => "not available", "不可用";
    WithheldNote => "withheld in the agents.csv of a k-anonymous roster run", "k-匿名名册运行的 agents.csv 中已隐去";
    NoRuns => "No finished runs yet: run two or more scenarios, then compare them here.", "尚无完成的运行：请运行两个或更多情景后在此比较。";
    Compare => "Compare", "比较";
    Baseline => "Baseline", "基准";
    Metric => "Outcome", "结果指标";
    Chart => "Chart", "图表";
    GroupBy => "Group by", "分组";
    Histogram => "Histogram", "直方图";
    Ecdf => "ECDF", "累积分布";
    BoxPlot => "Box plots", "箱线图";
    TimeBands => "Time series (bands across replications)", "时间序列（重复间区间）";
    Summary => "Summary of differences", "差异汇总";
    Scenario => "Scenario", "情景";
    Estimate => "Mean", "均值";
    Ci => "95 % CI", "95% 置信区间";
    Count => "Over", "样本";
    Diff => "Δ vs baseline", "与基准之差";
    DiffCi => "95 % CI of Δ", "差值 95% 置信区间";
    Paired => "Pairing", "配对";
    Winners => "Better off", "受益";
    Losers => "Worse off", "受损";
    RunsFolder => "Results folder", "结果文件夹";
    ExportPath => "Export to", "导出到";
    ExportPng => "Chart as PNG", "图表导出 PNG";
    ExportSvg => "Chart as SVG", "图表导出 SVG";
    ExportCsv => "Table as CSV", "表格导出 CSV";
    Exported => "Written", "已写入";
    TablePending => "The table of differences is still being computed.", "差异表仍在计算中。";
    UnsavedTitle => "Unsaved changes", "有未保存的更改";
    UnsavedQuit => "Some scenarios have unsaved changes. Save them before quitting?", "部分情景有未保存的更改。退出前是否保存？";
    UnsavedClose => "This scenario has unsaved changes. Save it before closing?", "此情景有未保存的更改。关闭前是否保存？";
    SaveAll => "Save changes", "保存更改";
    Discard => "Discard", "放弃";
    GroupAll => "All", "全部";
    GroupTrack => "Track", "编制";
    GroupAgeBand => "Age band", "年龄段";
    GroupTitle => "Title", "职称/职级";
    GroupRegion => "Region", "地区";
    ReplacementRate => "Replacement rate (pension / final wage)", "替代率（养老金/退休前工资）";
    MoneysWorth => "Money's worth", "货币价值比";
    Wage => "Wage (yuan/month)", "工资（元/月）";
    Irr => "Internal rate of return", "内部收益率";
    Staff => "Staff (retention)", "在职人数（留任）";
    Exits => "Exits per month", "每月离职人数";
    UniversityCost => "University employer cost (yuan/year)", "高校单位缴费成本（元/年）";
    TakeHomeEstablishment => "Mean take-home pay, established staff (yuan/month)", "平均到手工资：编制内人员（元/月）";
    FundBalance => "Pooled pension fund balance (yuan)", "养老保险统筹基金余额（元）";
    TakeHomeContract => "Mean take-home pay, contract staff (yuan/month)", "平均到手工资：合同制人员（元/月）";
    Perception => "Welfare perception (index)", "福利感知（指数）";
    AgentTakeHome => "Take-home pay, last month worked (yuan/month)", "最近在职月到手工资（元/月）";
    ChooseTwo => "Tick two or more scenarios with finished runs.", "请勾选两个或更多已完成运行的情景。";
    Value => "Value", "数值";
    Share => "Share", "占比";
    Year => "Year", "年份";
    NotRun => "not run", "未运行";
    RecoveryFound => "Recovered unsaved edits from", "已从恢复文件载入未保存的编辑：";
    TabPlanner => "Planner", "个人规划";
    TabStress => "Stress test", "压力测试";
    PlPerson => "Person", "个人";
    PlRecord => "Record so far", "已有缴费记录";
    PlOptions => "Options compared", "比较的选项";
    PlSettings => "Plan", "规划设置";
    PlSex => "Sex", "性别";
    PlMale => "male", "男";
    PlFemale => "female", "女";
    PlCategory => "Post category (sets a woman's statutory age)", "岗位类别（决定女性法定退休年龄）";
    PlCadre => "cadre (academic and professional posts)", "干部（专业技术岗）";
    PlWorker => "worker", "工人";
    PlTrack => "Track", "编制";
    PlEstablished => "established post: institution scheme, occupational annuity", "编制内：机关事业单位养老保险，职业年金";
    PlContract => "contract post: enterprise scheme", "编制外合同制：企业职工养老保险";
    PlBirth => "Birth month (YYYY-MM)", "出生年月（YYYY-MM）";
    PlRegion => "Region", "地区";
    PlTitle => "Title", "职称";
    PlStart => "First month planned (YYYY-MM)", "规划起始月（YYYY-MM）";
    PlWage => "Monthly wage at the start (yuan)", "起始月工资（元/月）";
    PlCareerRaise => "Yearly raise beyond wage growth (share; empty: the scenario's)", "工资增长之外的年度晋升涨幅（比例；空：情景设定）";
    PlContribMonths => "Contribution months so far (deemed included)", "已缴费月数（含视同）";
    PlDeemedMonths => "Deemed months (before 2014-10)", "视同缴费月数（2014-10 前）";
    PlAverageIndex => "Average contribution index so far", "平均缴费指数";
    PlDeemedIndex => "Deemed contribution index", "视同缴费指数";
    PlAccount => "Personal account balance (yuan)", "个人账户余额（元）";
    PlAnnuityBalance => "Annuity balance (yuan)", "年金余额（元）";
    PlEa => "Enterprise annuity", "企业年金";
    PlEaBoth => "compare joining and not", "比较参加与不参加";
    PlEaYes => "join", "参加";
    PlEaNo => "do not join", "不参加";
    PlBaseShare => "Contribution base as a share of the wage (list, 0.3 to 1)", "缴费基数占工资比例（列表，0.3 至 1）";
    PlRetire => "Retirement: months from the statutory month (list)", "退休时间：距法定退休月的月数（列表）";
    PlDraw => "Annuity drawn", "年金领取方式";
    PlDrawMonthly => "monthly", "按月领取";
    PlDrawInstalments => "in instalments", "分期领取";
    PlDrawLumpSum => "as a lump sum", "一次性领取";
    PlInstalmentYears => "Years of instalments", "分期年数";
    PlPercentiles => "Percentiles (list, 0 to 100)", "百分位（列表，0 至 100）";
    PlTarget => "Target replacement rate (share; empty: none)", "目标替代率（比例；空：不设）";
    PlSeed => "Seed", "随机种子";
    PlScenario => "Scenario file (empty: the embedded default)", "情景文件（空：内置默认情景）";
    PlPaths => "Paths", "路径数";
    PlRun => "Run plan", "运行规划";
    PlOpen => "Open case…", "打开个案…";
    PlSave => "Save case as…", "个案另存为…";
    PlCancelled => "The plan was cancelled; nothing was kept.", "规划已取消，未保留结果。";
    PlPathsDone => "paths done", "条路径已完成";
    PlFanTitle => "Account balances (personal account + annuity)", "账户余额（个人账户 + 年金）";
    PlAgeAxis => "age (years)", "年龄（岁）";
    PlBalanceAxis => "balance (yuan, nominal)", "余额（元，名义）";
    PlVariant => "Fan chart of", "扇形图：";
    PlBaseWord => "base", "基数";
    PlWithEa => "with enterprise annuity", "参加企业年金";
    PlWithoutEa => "no enterprise annuity", "不参加企业年金";
    PlOption => "Option", "选项";
    PlPension => "First monthly income (yuan/month)", "首月退休收入（元/月）";
    PlPensionReal => "In start-year prices (yuan/month)", "按起始年价格（元/月）";
    PlReplacement => "Replacement rate after annuity tax", "税后替代率";
    PlMoneyWorth => "Money's worth (ratio)", "投入产出比";
    PlTableNote => "Median over paths, 5th to 95th percentile in brackets; hover a row for every percentile.", "各路径的中位数，括号内为第 5 至第 95 百分位；悬停查看全部百分位。";
    PlNoResult => "Enter a case (or open one) and run the plan.", "输入（或打开）个案后运行规划。";
    PlMedian => "median", "中位数";
    PlChartExport => "Fan chart as PNG…", "扇形图导出为 PNG…";
    PlChartExportSvg => "Fan chart as SVG…", "扇形图导出为 SVG…";
    StAcross => "Across (x)", "横轴（x）";
    StUp => "Up (y)", "纵轴（y）";
    StKey => "Key", "参数";
    StLow => "from", "从";
    StHigh => "to", "到";
    StSteps => "steps", "步数";
    StMetric => "Metric", "指标";
    StFund => "Fund (region/scheme or all)", "基金（地区/险种，或 all）";
    StYear => "Year (empty: the last simulated)", "年份（空：最后模拟年）";
    StReplications => "Replications", "重复次数";
    StAgents => "Staff per run (empty: the scenario's)", "每次运行人数（空：情景设定）";
    StScenario => "Base scenario file (empty: the embedded default)", "基准情景文件（空：内置默认情景）";
    StOut => "Stress folder", "压力测试文件夹";
    StRun => "Run grid", "运行网格";
    StOpen => "Open this folder", "打开此文件夹";
    StOpenDialog => "Choose a stress folder…", "选择压力测试文件夹…";
    StRunsDone => "runs done", "次运行已完成";
    StNoMap => "Run a grid, or open a stress folder written by this panel or by `sisandbox stress`.", "运行网格，或打开本面板或 `sisandbox stress` 写出的压力测试文件夹。";
    StMissing => "no value", "无值";
    StNotExhausted => "not exhausted within the run", "模拟期内未耗尽";
    StStopped => "The grid was stopped; its finished runs are kept in the folder and running it again resumes them.", "网格已停止；已完成的运行保留在文件夹中，再次运行将接续。";
    StCellHelp => "Hover a cell for its value.", "悬停单元格查看数值。";
    StHeatMap => "Heat map", "热力图";
    StPickKey => "Choose a key from the catalog", "从参数目录中选择";
    StForce => "Start over (replace another grid in the folder)", "重新开始（替换文件夹中的其他网格）";
    StOpenFolder => "Stress folder to open", "要打开的压力测试文件夹";
    StAxisKeyHelp => "a numeric scenario key, e.g. careers.conversion_rate", "数值型情景参数，如 careers.conversion_rate";
}

/// A group label of the results (track, age band, title, region) in the interface's language.
pub fn group_label(lang: Lang, label: &str) -> String {
    const LABELS: &[(&str, &str, &str)] = &[
        ("all", "all staff", "全体人员"),
        ("establishment", "established staff", "编制内"),
        ("contract", "contract staff", "合同制"),
        ("temporary", "temporary staff", "临时人员"),
        ("assistant", "assistant", "助教"),
        ("lecturer", "lecturer", "讲师"),
        ("associate_professor", "associate professor", "副教授"),
        ("professor", "professor", "教授"),
        ("clerk", "clerk", "科员"),
        ("section", "section level", "科级"),
        ("division", "division level", "处级"),
        ("bureau", "bureau level", "局级"),
        // A k-anonymous agents.csv: a title given as its ladder, a group withheld.
        ("academic", "academic ladder", "专业技术序列"),
        ("administrative", "administrative ladder", "管理序列"),
        ("*", "not available (withheld)", "不可用（已隐去）"),
    ];
    match LABELS.iter().find(|(k, _, _)| *k == label) {
        Some((_, en, zh)) => match lang {
            Lang::En => en.to_string(),
            Lang::Zh => zh.to_string(),
        },
        None => label.replace('_', " "),
    }
}

/// The section heading of a key path's first segment (`careers` → "Careers"/"职业生涯").
pub fn section_name(lang: Lang, section: &str) -> String {
    let zh = match section {
        "" => "顶层",
        "simulation" => "模拟设置",
        "regions" => "地区",
        "universities" => "高校",
        "population" => "人员构成",
        "careers" => "职业生涯",
        "outcomes" => "结果评估",
        "insurance" => "社会保险",
        "base" => "缴费基数",
        "pension" => "基本养老保险",
        "occupational_annuity" => "职业年金",
        "enterprise_annuity" => "企业年金",
        "medical" => "医疗保险",
        "unemployment" => "失业保险",
        "work_injury" => "工伤保险",
        "housing_fund" => "住房公积金",
        "retirement" => "退休",
        "benefit" => "待遇计发",
        "transfer" => "转移接续",
        other => other,
    };
    match (lang, section) {
        (Lang::En, "") => Lang::En.t(Msg::TopLevel).to_string(),
        (Lang::En, s) => s.to_string(),
        (Lang::Zh, s) => format!("{zh} ({s})").replace(" ()", ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        for &m in Msg::ALL {
            assert!(!Lang::En.t(m).is_empty(), "{m:?}");
            assert!(!Lang::Zh.t(m).is_empty(), "{m:?}");
        }
        assert_eq!(Lang::parse("zh"), Some(Lang::Zh));
        assert_eq!(Lang::parse("fr"), None);
    }

    #[test]
    fn sections_are_named_in_both_languages() {
        assert_eq!(section_name(Lang::En, "careers"), "careers");
        assert_eq!(section_name(Lang::Zh, "careers"), "职业生涯 (careers)");
        assert_eq!(section_name(Lang::Zh, ""), "顶层");
    }
}
