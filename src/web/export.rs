//! Cells of the spreadsheets Accord exports (CSV and XLSX): text that other parties typed must
//! never run as a formula when someone opens the file.

use std::borrow::Cow;

/// Whether a spreadsheet could take this text for a formula: it starts with `=`, `+`, `-` or
/// `@`, or their full-width forms (`＝＋－＠`, which Excel and WPS fold to ASCII when a CSV is
/// opened with a Chinese input setting), or with a tab or a line break that hides one.
pub fn formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'])
}

/// A CSV cell: formula-like text gets a leading apostrophe, which spreadsheets show as text.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    if formula_like(s) { format!("'{s}").into() } else { s.into() }
}

/// Writes a text cell of an XLSX sheet; formula-like text carries Excel's quote prefix (the
/// cell stays text even when edited), without an apostrophe in its value.
pub fn xlsx_text(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    s: &str,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    if formula_like(s) {
        sheet.write_string_with_format(row, col, s, &rust_xlsxwriter::Format::new().set_quote_prefix())?;
    } else {
        sheet.write_string(row, col, s)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_in_ascii_and_full_width() {
        for s in ["=HYPERLINK(1)", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "＝1+1", "＋1", "－1", "＠SUM(A1)"]
        {
            assert!(formula_like(s), "{s:?}");
            assert_eq!(csv_cell(s), format!("'{s}"));
        }
        for s in ["王立", "1", "a=b", "", " ＝1"] {
            assert!(!formula_like(s), "{s:?}");
            assert_eq!(csv_cell(s), s);
        }
    }
}
