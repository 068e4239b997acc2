//! The columns of the three office files, their Chinese and English header names, and the
//! optional mapping file for other layouts (docs/OFFICE.md lists them all).

use std::collections::BTreeMap;
use std::path::Path;

/// Which of the office files a table is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// 工资表: gross pay and the personal contributions withheld, by staff and month.
    Payroll,
    /// 社保缴费明细: base and contributions as declared to the social-insurance agency.
    Insurance,
    /// 财务发放记录: what the finance office actually paid out.
    Finance,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Payroll => "payroll",
            FileKind::Insurance => "insurance",
            FileKind::Finance => "finance",
        }
    }
}

/// A column the office files may carry.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    StaffId,
    Name,
    IdNumber,
    Month,
    Department,
    Scheme,
    GrossPay,
    NetPay,
    Base,
    PensionPersonal,
    PensionEmployer,
    MedicalPersonal,
    MedicalEmployer,
    UnemploymentPersonal,
    UnemploymentEmployer,
    WorkInjuryEmployer,
}

/// Every field with its English key and the Chinese headers recognised for it (the first one
/// is the one `synth-hr` writes).
pub const FIELDS: &[(Field, &str, &[&str])] = &[
    (
        Field::StaffId,
        "staff_id",
        &["工号", "职工号", "人员编号", "教职工号"],
    ),
    (Field::Name, "name", &["姓名"]),
    (
        Field::IdNumber,
        "id_number",
        &["身份证号", "身份证号码", "公民身份号码", "证件号码"],
    ),
    (
        Field::Month,
        "month",
        &["月份", "所属期", "费款所属期", "发放月份"],
    ),
    (
        Field::Department,
        "department",
        &["部门", "所在部门", "单位名称"],
    ),
    (Field::Scheme, "scheme", &["养老保险类型", "参保类型"]),
    (Field::GrossPay, "gross_pay", &["应发工资", "应发合计"]),
    (
        Field::NetPay,
        "net_pay",
        &["实发工资", "实发金额", "实发合计"],
    ),
    (Field::Base, "base", &["缴费基数", "申报基数"]),
    (
        Field::PensionPersonal,
        "pension_personal",
        &["养老个人", "养老保险个人"],
    ),
    (
        Field::PensionEmployer,
        "pension_employer",
        &["养老单位", "养老保险单位"],
    ),
    (
        Field::MedicalPersonal,
        "medical_personal",
        &["医疗个人", "医疗保险个人"],
    ),
    (
        Field::MedicalEmployer,
        "medical_employer",
        &["医疗单位", "医疗保险单位"],
    ),
    (
        Field::UnemploymentPersonal,
        "unemployment_personal",
        &["失业个人", "失业保险个人"],
    ),
    (
        Field::UnemploymentEmployer,
        "unemployment_employer",
        &["失业单位", "失业保险单位"],
    ),
    (
        Field::WorkInjuryEmployer,
        "work_injury_employer",
        &["工伤单位", "工伤保险单位"],
    ),
];

impl Field {
    pub fn key(self) -> &'static str {
        FIELDS
            .iter()
            .find(|f| f.0 == self)
            .map(|f| f.1)
            .unwrap_or("")
    }
    pub fn chinese(self) -> &'static str {
        FIELDS
            .iter()
            .find(|f| f.0 == self)
            .map(|f| f.2[0])
            .unwrap_or("")
    }
    fn from_key(key: &str) -> Option<Field> {
        FIELDS.iter().find(|f| f.1 == key).map(|f| f.0)
    }
}

/// Whether a file must have a column.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Need {
    Required,
    Optional,
}

/// The columns of each file, in the order `synth-hr` writes them.
pub fn layout(kind: FileKind) -> &'static [(Field, Need)] {
    use Field::*;
    use Need::*;
    match kind {
        FileKind::Payroll => &[
            (StaffId, Required),
            (Name, Optional),
            (IdNumber, Optional),
            (Department, Optional),
            (Month, Required),
            (GrossPay, Required),
            (PensionPersonal, Required),
            (MedicalPersonal, Required),
            (UnemploymentPersonal, Required),
        ],
        FileKind::Insurance => &[
            (StaffId, Required),
            (Name, Optional),
            (IdNumber, Optional),
            (Month, Required),
            (Scheme, Optional),
            (Base, Required),
            (PensionPersonal, Required),
            (PensionEmployer, Required),
            (MedicalPersonal, Required),
            (MedicalEmployer, Required),
            (UnemploymentPersonal, Required),
            (UnemploymentEmployer, Required),
            (WorkInjuryEmployer, Required),
        ],
        FileKind::Finance => &[
            (StaffId, Required),
            (Name, Optional),
            (IdNumber, Optional),
            (Month, Required),
            (NetPay, Required),
        ],
    }
}

/// The mapping file: per file, the header used for a field where it differs from the names
/// above. `[payroll] staff_id = "职工编号"`.
#[derive(Clone, Debug, Default)]
pub struct Mapping {
    by_kind: BTreeMap<FileKind, BTreeMap<Field, String>>,
}

impl Mapping {
    /// Reads a mapping file (TOML), refusing unknown sections and keys by name.
    pub fn load(path: &Path) -> Result<Mapping, String> {
        let file = path.display().to_string();
        let bytes = crate::input::read_bounded(path, crate::input::MAX_CONFIG_BYTES)
            .map_err(|e| format!("{file}: {e}"))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("{file}: not UTF-8 text; save the mapping file as UTF-8"))?;
        Mapping::parse(&text, &file)
    }

    pub fn parse(text: &str, file: &str) -> Result<Mapping, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
        let mut by_kind = BTreeMap::new();
        for (section, value) in table {
            let kind = match section.as_str() {
                "payroll" => FileKind::Payroll,
                "insurance" => FileKind::Insurance,
                "finance" => FileKind::Finance,
                other => {
                    return Err(format!(
                    "{file}: unknown section [{other}]; allowed: [payroll], [insurance], [finance]"
                ))
                }
            };
            let toml::Value::Table(entries) = value else {
                return Err(format!(
                    "{file}: `{section}` must be a section of key = \"header\""
                ));
            };
            let mut fields = BTreeMap::new();
            for (key, header) in entries {
                let field = Field::from_key(&key).ok_or_else(|| {
                    let keys: Vec<&str> = FIELDS.iter().map(|f| f.1).collect();
                    format!(
                        "{file}: [{section}] unknown column key `{key}`; allowed: {}",
                        keys.join(", ")
                    )
                })?;
                let toml::Value::String(h) = header else {
                    return Err(format!(
                        "{file}: [{section}] {key} must be a header name in quotes"
                    ));
                };
                fields.insert(field, h);
            }
            by_kind.insert(kind, fields);
        }
        Ok(Mapping { by_kind })
    }

    fn header_for(&self, kind: FileKind, field: Field) -> Option<&str> {
        self.by_kind.get(&kind)?.get(&field).map(String::as_str)
    }
}

/// Header text compared loosely: trimmed, lower case, without spaces, underscores and a unit
/// suffix such as "(元)".
fn normalise(h: &str) -> String {
    let mut s: String = h
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .collect();
    for suffix in ["(元)", "（元）", "(yuan)"] {
        if let Some(stripped) = s.strip_suffix(suffix) {
            s = stripped.to_string();
        }
    }
    s
}

/// Where each field sits in a header row.
#[derive(Clone, Debug)]
pub struct Columns {
    index: BTreeMap<Field, usize>,
    headers: Vec<String>,
}

impl Columns {
    /// Finds the columns of `kind` in `headers`; every missing required column is named.
    pub fn locate(
        kind: FileKind,
        headers: &[String],
        mapping: &Mapping,
        file: &str,
    ) -> Result<Columns, String> {
        let norm: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
        let mut index = BTreeMap::new();
        let mut missing = Vec::new();
        for &(field, need) in layout(kind) {
            let wanted: Vec<String> = match mapping.header_for(kind, field) {
                Some(h) => vec![normalise(h)],
                None => std::iter::once(field.key())
                    .chain(
                        FIELDS
                            .iter()
                            .find(|f| f.0 == field)
                            .map(|f| f.2)
                            .unwrap_or(&[])
                            .iter()
                            .copied(),
                    )
                    .map(normalise)
                    .collect(),
            };
            match norm.iter().position(|h| wanted.contains(h)) {
                Some(i) => {
                    index.insert(field, i);
                }
                None if need == Need::Required => {
                    missing.push(match mapping.header_for(kind, field) {
                        Some(h) => format!("`{h}` (mapped to {})", field.key()),
                        None => format!("{} / {}", field.chinese(), field.key()),
                    })
                }
                None => {}
            }
        }
        if !missing.is_empty() {
            return Err(format!(
                "{file}: row 1: missing column{} {} in the {} file (found: {}); name the columns as in docs/OFFICE.md or give a mapping file with --columns",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", "),
                kind.name(),
                headers.join(", ")
            ));
        }
        Ok(Columns {
            index,
            headers: headers.to_vec(),
        })
    }

    /// The cell of `field` in a row, or "" when the column or the cell is absent.
    pub fn get<'r>(&self, row: &'r [String], field: Field) -> &'r str {
        self.index
            .get(&field)
            .and_then(|&i| row.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn has(&self, field: Field) -> bool {
        self.index.contains_key(&field)
    }

    /// The header the file uses for `field` (for messages).
    pub fn header(&self, field: Field) -> String {
        match self.index.get(&field) {
            Some(&i) => {
                let h = self.headers[i].trim();
                if h == field.key() {
                    h.to_string()
                } else {
                    format!("{h} ({})", field.key())
                }
            }
            None => field.key().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn chinese_and_english_headers_are_found() {
        let m = Mapping::default();
        let zh = h(&[
            "工号",
            "月份",
            "应发工资(元)",
            "养老个人",
            "医疗个人",
            "失业个人",
        ]);
        let c = Columns::locate(FileKind::Payroll, &zh, &m, "p").unwrap();
        assert_eq!(c.get(&h(&["1", "2025-01", "9"]), Field::GrossPay), "9");
        let en = h(&[
            "Staff_ID",
            "month",
            "gross_pay",
            "pension_personal",
            "medical_personal",
            "unemployment_personal",
        ]);
        assert!(Columns::locate(FileKind::Payroll, &en, &m, "p").is_ok());
    }

    #[test]
    fn a_missing_column_is_named() {
        let e = Columns::locate(
            FileKind::Payroll,
            &h(&["工号", "月份"]),
            &Mapping::default(),
            "p.csv",
        )
        .unwrap_err();
        assert!(
            e.contains("p.csv") && e.contains("应发工资 / gross_pay"),
            "{e}"
        );
    }

    #[test]
    fn the_mapping_file_renames_columns() {
        let m = Mapping::parse("[payroll]\nstaff_id = \"职工编号\"\n", "m.toml").unwrap();
        let hs = h(&[
            "职工编号",
            "月份",
            "应发工资",
            "养老个人",
            "医疗个人",
            "失业个人",
        ]);
        assert!(Columns::locate(FileKind::Payroll, &hs, &m, "p").is_ok());
        assert!(Mapping::parse("[payroll]\nwage = \"x\"\n", "m.toml")
            .unwrap_err()
            .contains("wage"));
        assert!(Mapping::parse("[hr]\n", "m.toml")
            .unwrap_err()
            .contains("[hr]"));
    }
}
