//! Reading office files into plain tables of text cells: CSV in UTF-8 (with or without BOM) or
//! GBK/GB18030, detected and reported, and spreadsheets (XLSX, XLS, ODS) through calamine.
//!
//! Nothing here knows what the columns mean (see `columns`); a table keeps each row's line or
//! spreadsheet row number so that every later message can name file, row and column.

use std::path::Path;

/// How a file was decoded, reported to the user and written into the manifest.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Gb18030,
    Spreadsheet,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Gb18030 => "GBK/GB18030",
            Encoding::Spreadsheet => "spreadsheet",
        }
    }
}

/// A file read as text cells.
#[derive(Clone, Debug)]
pub struct Table {
    /// The file as the user named it (used in every message).
    pub file: String,
    pub encoding: Encoding,
    pub headers: Vec<String>,
    /// (row number in the file, 1-based with the header as row 1; cells).
    pub rows: Vec<(u64, Vec<String>)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error(
        "{file}: mixed encodings: line {utf8_line} is UTF-8 but line {other_line} is not; \
         save the whole file in one encoding (UTF-8 or GBK)"
    )]
    Mixed {
        file: String,
        utf8_line: u64,
        other_line: u64,
    },
    #[error(
        "{file}: line {line} is neither UTF-8 nor GBK/GB18030 text; save the file as UTF-8 or GBK"
    )]
    Undecodable { file: String, line: u64 },
    #[error("{file}: line {line}: {message}")]
    Csv {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}: cannot open as a spreadsheet: {message}")]
    Sheet { file: String, message: String },
    #[error("{file}: the file is empty (a header row is required)")]
    Empty { file: String },
}

/// Whether a path names a spreadsheet (by its extension).
pub fn is_spreadsheet(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
    )
}

/// Largest office file read (a university's yearly payroll export is tens of megabytes).
pub const MAX_OFFICE_BYTES: u64 = 1 << 30;

/// Reads a CSV or spreadsheet file into a table (only a regular file, at most
/// [`MAX_OFFICE_BYTES`]).
pub fn read_table(path: &Path) -> Result<Table, ReadError> {
    let file = path.display().to_string();
    let bytes =
        crate::input::read_bounded(path, MAX_OFFICE_BYTES).map_err(|source| ReadError::Io {
            file: file.clone(),
            source,
        })?;
    if is_spreadsheet(path) {
        return read_sheet(bytes, &file);
    }
    let (text, encoding) = decode(&bytes, &file)?;
    parse_csv(&text, &file, encoding)
}

/// Decodes CSV bytes: UTF-8 (a BOM is dropped and reported), else GB18030 (a superset of GBK);
/// a file that is partly UTF-8 and partly not is refused, naming one line of each.
pub fn decode(bytes: &[u8], file: &str) -> Result<(String, Encoding), ReadError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.to_string(), Encoding::Utf8Bom)),
            Err(_) => Err(mixed_or_bad(rest, file)),
        };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), Encoding::Utf8));
    }
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if lines.iter().any(|l| is_utf8_text(l)) {
        return Err(mixed_or_bad(bytes, file));
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok((text.into_owned(), Encoding::Gb18030)),
        None => Err(mixed_or_bad(bytes, file)),
    }
}

/// Whether a line with non-ASCII bytes is UTF-8 text rather than GBK text that happens to be
/// valid UTF-8 (a few GBK byte pairs are): GBK text decodes to Chinese characters and
/// punctuation only, UTF-8 Chinese read as GBK gives symbols, kana or invalid sequences.
fn is_utf8_text(line: &[u8]) -> bool {
    if line.is_ascii() || std::str::from_utf8(line).is_err() {
        return false;
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(line) {
        None => true,
        Some(text) => !text.chars().all(|c| {
            c.is_ascii()
                || ('\u{4E00}'..='\u{9FFF}').contains(&c)
                || ('\u{3000}'..='\u{303F}').contains(&c)
                || ('\u{FF00}'..='\u{FFEF}').contains(&c)
        }),
    }
}

/// The error for bytes that are not one encoding throughout.
fn mixed_or_bad(bytes: &[u8], file: &str) -> ReadError {
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let utf8 = lines.iter().position(|l| is_utf8_text(l));
    let not_utf8 = lines.iter().position(|l| std::str::from_utf8(l).is_err());
    match (utf8, not_utf8) {
        (Some(u), Some(o)) => ReadError::Mixed {
            file: file.to_string(),
            utf8_line: u as u64 + 1,
            other_line: o as u64 + 1,
        },
        _ => {
            let bad = lines
                .iter()
                .position(|l| {
                    encoding_rs::GB18030
                        .decode_without_bom_handling_and_without_replacement(l)
                        .is_none()
                })
                .unwrap_or(0);
            ReadError::Undecodable {
                file: file.to_string(),
                line: bad as u64 + 1,
            }
        }
    }
}

/// Parses decoded CSV text; the first non-empty record is the header.
pub fn parse_csv(text: &str, file: &str, encoding: Encoding) -> Result<Table, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // Line numbers from byte offsets: the reader's own line count skips blank lines.
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let bytes = text.as_bytes();
    let line_at = |p: Option<&csv::Position>| {
        p.map(|p| {
            // A record's position may be the start of the blank lines before it.
            let mut b = p.byte() as usize;
            while b < bytes.len() && (bytes[b] == b'\n' || bytes[b] == b'\r') {
                b += 1;
            }
            newlines.partition_point(|&n| n < b) as u64 + 1
        })
        .unwrap_or(0)
    };
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ReadError::Csv {
            file: file.to_string(),
            line: line_at(e.position()),
            message: csv_message(&e),
        })?;
        let line = line_at(record.position());
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if headers.is_none() {
            headers = Some(cells);
        } else {
            rows.push((line, cells));
        }
    }
    let headers = headers.ok_or_else(|| ReadError::Empty {
        file: file.to_string(),
    })?;
    Ok(Table {
        file: file.to_string(),
        encoding,
        headers,
        rows,
    })
}

/// A CSV error without echoing the record (which may hold a name or an ID number).
fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not valid text in the detected encoding".into(),
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => "malformed CSV (check quotes and separators)".into(),
    }
}

fn read_sheet(bytes: Vec<u8>, file: &str) -> Result<Table, ReadError> {
    use calamine::{open_workbook_auto_from_rs, Reader};
    let sheet_err = |message: String| ReadError::Sheet {
        file: file.to_string(),
        message,
    };
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| sheet_err(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| sheet_err("the workbook has no sheet".into()))?
        .map_err(|e| sheet_err(e.to_string()))?;
    let first_row = range.start().map(|(r, _)| r as u64).unwrap_or(0);
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let line = first_row + i as u64 + 1;
        if headers.is_none() {
            headers = Some(cells);
        } else {
            rows.push((line, cells));
        }
    }
    let headers = headers.ok_or_else(|| ReadError::Empty {
        file: file.to_string(),
    })?;
    Ok(Table {
        file: file.to_string(),
        encoding: Encoding::Spreadsheet,
        headers,
        rows,
    })
}

/// A spreadsheet cell as the text a CSV export would hold.
fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_date(d.as_f64()),
        Data::Error(e) => format!("#{e:?}"),
        Data::Empty => String::new(),
    }
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> String {
    // Civil-from-days (H. Hinnant), from the Unix epoch: 1970-01-01 is serial 25,569.
    let z = serial.floor() as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_gbk_are_detected() {
        let text = "工号,姓名\n1001,张三\n";
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom, "f").unwrap(), (text.into(), Encoding::Utf8Bom));
        assert_eq!(
            decode(text.as_bytes(), "f").unwrap(),
            (text.into(), Encoding::Utf8)
        );
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(&gbk, "f").unwrap(), (text.into(), Encoding::Gb18030));
    }

    #[test]
    fn mixed_encodings_name_a_line_of_each() {
        let mut bytes = "工号,姓名\n".as_bytes().to_vec();
        let (gbk, _, _) = encoding_rs::GBK.encode("1001,张三\n");
        bytes.extend_from_slice(&gbk);
        let e = decode(&bytes, "p.csv").unwrap_err().to_string();
        assert!(
            e.contains("p.csv") && e.contains("line 1") && e.contains("line 2"),
            "{e}"
        );
    }

    #[test]
    fn csv_rows_keep_their_line_numbers() {
        let t = parse_csv("a,b\n\n1,2\n3,4\n", "f", Encoding::Utf8).unwrap();
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.rows[0].0, 3);
        assert_eq!(t.rows[1].0, 4);
    }

    #[test]
    fn excel_serial_dates() {
        assert_eq!(excel_date(45_658.0), "2025-01-01");
        assert_eq!(excel_date(25_569.0), "1970-01-01");
    }
}
