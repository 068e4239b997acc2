//! The files `synth-hr` writes: the three office files with Chinese headers (as an HR system
//! exports them) in UTF-8, UTF-8 with BOM, GBK or XLSX, and the truth in UTF-8.

use super::columns::{layout, Field, FileKind};
use super::synth::SynthData;
use super::write::OutDir;
use crate::insurance::Scheme;
use crate::money::{format_yuan, Fen};

/// How the office files are written.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Form {
    Utf8,
    Utf8Bom,
    Gbk,
    /// Chosen with `--xlsx`, not as an encoding.
    #[value(skip)]
    Xlsx,
}

/// A cell: text or an amount in fen.
enum Cell {
    Text(String),
    Money(Fen),
}

fn table(kind: FileKind, d: &SynthData) -> Vec<Vec<Cell>> {
    use Cell::*;
    let text = |s: &str| Text(s.to_string());
    match kind {
        FileKind::Payroll => d
            .payroll
            .iter()
            .map(|l| {
                let p = &d.people[l.person];
                vec![
                    text(&p.staff),
                    text(&l.name),
                    text(&l.id_number),
                    text(p.department),
                    Text(l.month.to_string()),
                    Money(l.gross),
                    Money(l.withheld[0]),
                    Money(l.withheld[1]),
                    Money(l.withheld[2]),
                ]
            })
            .collect(),
        FileKind::Insurance => d
            .insurance
            .iter()
            .map(|l| {
                let p = &d.people[l.person];
                let mut v = vec![
                    text(&p.staff),
                    text(&l.name),
                    text(&l.id_number),
                    Text(l.month.to_string()),
                    text(match p.scheme {
                        Scheme::Institution => "机关事业",
                        Scheme::Enterprise => "企业",
                    }),
                    Money(l.base),
                ];
                v.extend(l.amounts.iter().map(|&a| Money(a)));
                v
            })
            .collect(),
        FileKind::Finance => d
            .finance
            .iter()
            .map(|l| {
                let p = &d.people[l.person];
                vec![
                    text(&p.staff),
                    text(&l.name),
                    text(&l.id_number),
                    Text(l.month.to_string()),
                    Money(l.net),
                ]
            })
            .collect(),
    }
}

fn headers(kind: FileKind) -> Vec<&'static str> {
    layout(kind)
        .iter()
        .map(|(f, _)| Field::chinese(*f))
        .collect()
}

/// Sorts rows as an export lists them: by month, then staff number.
fn sorted(d: &SynthData) -> SynthData {
    let mut d = d.clone();
    let people = d.people.clone();
    let order = |a: &(crate::time::YearMonth, usize), b: &(crate::time::YearMonth, usize)| {
        a.0.cmp(&b.0).then(super::audit::staff_order(
            &people[a.1].staff,
            &people[b.1].staff,
        ))
    };
    d.payroll
        .sort_by(|a, b| order(&(a.month, a.person), &(b.month, b.person)));
    d.insurance
        .sort_by(|a, b| order(&(a.month, a.person), &(b.month, b.person)));
    d.finance
        .sort_by(|a, b| order(&(a.month, a.person), &(b.month, b.person)));
    d
}

/// Stages payroll, insurance and finance in `form`, and truth.csv.
pub fn stage(out: &mut OutDir, data: &SynthData, form: Form) -> Result<(), String> {
    let d = sorted(data);
    for kind in [FileKind::Payroll, FileKind::Insurance, FileKind::Finance] {
        let rows = table(kind, &d);
        let head = headers(kind);
        if form == Form::Xlsx {
            out.stage(&format!("{}.xlsx", kind.name()), &xlsx(&head, &rows)?)?;
            continue;
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        let e = |e: csv::Error| e.to_string();
        w.write_record(&head).map_err(e)?;
        for r in &rows {
            w.write_record(r.iter().map(|c| match c {
                Cell::Text(s) => s.clone(),
                Cell::Money(f) => format_yuan(*f),
            }))
            .map_err(e)?;
        }
        let bytes = w.into_inner().map_err(|e| e.to_string())?;
        let text = String::from_utf8(bytes).map_err(|e| e.to_string())?;
        let encoded: Vec<u8> = match form {
            Form::Utf8 => text.into_bytes(),
            Form::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            Form::Gbk => encoding_rs::GBK.encode(&text).0.into_owned(),
            Form::Xlsx => unreachable!("handled above"),
        };
        out.stage(&format!("{}.csv", kind.name()), &encoded)?;
    }
    let truth: Vec<Vec<String>> = data
        .truth
        .iter()
        .map(|(s, m, k)| vec![s.clone(), m.to_string(), k.name().to_string()])
        .collect();
    out.stage_csv("truth.csv", &["staff", "month", "kind"], &truth)
}

fn xlsx(head: &[&str], rows: &[Vec<Cell>]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::Workbook;
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in head.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).map_err(e)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) => sheet.write_string(r, c as u16, s).map_err(e)?,
                Cell::Money(f) => sheet
                    .write_number(r, c as u16, *f as f64 / 100.0)
                    .map_err(e)?,
            };
        }
    }
    book.save_to_buffer().map_err(e)
}
