//! What an uploaded file really is, from its first bytes: the stored content type comes from
//! the content, never from the browser's claim. Executables and unknown binary formats are
//! refused, and so is a file whose name promises one format while its bytes are another.

/// A recognised file: its content type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sniffed {
    pub content_type: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not a format we accept (executable, unknown binary).
    Type,
    /// The name's extension says another format than the content.
    Mismatch,
}

const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The extension: what follows the last dot when it looks like one (1–5 letters or digits), so
/// "v1.2 report" has none.
fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| (1..=5).contains(&e.len()) && e.bytes().all(|b| b.is_ascii_alphanumeric()))
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

pub fn sniff(bytes: &[u8], name: &str) -> Result<Sniffed, Refused> {
    let ext = extension(name);
    let family = |families: &[&str], ty: &'static str| {
        if ext.is_empty() || families.contains(&ext.as_str()) {
            Ok(Sniffed { content_type: ty })
        } else if known_extension(&ext) {
            Err(Refused::Mismatch)
        } else {
            // An extension we don't serve (.bat, .js, .html, .msi, .jar …): whatever the bytes
            // look like, the recipient's system would treat the file by its name.
            Err(Refused::Type)
        }
    };
    if bytes.starts_with(b"MZ") || bytes.starts_with(b"\x7fELF") || bytes.starts_with(&[0xCF, 0xFA, 0xED, 0xFE]) {
        return Err(Refused::Type);
    }
    if bytes.starts_with(b"%PDF-") {
        return family(&["pdf"], "application/pdf");
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return family(&["png"], "image/png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return family(&["jpg", "jpeg"], "image/jpeg");
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return family(&["gif"], "image/gif");
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return family(&["webp"], "image/webp");
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        let ty = match ext.as_str() {
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            _ => "application/zip",
        };
        return family(&["zip", "docx", "xlsx", "pptx"], ty);
    }
    if bytes.starts_with(OLE2) {
        let ty = match ext.as_str() {
            "xls" => "application/vnd.ms-excel",
            "ppt" => "application/vnd.ms-powerpoint",
            _ => "application/msword",
        };
        return family(&["doc", "xls", "ppt"], ty);
    }
    if looks_like_text(bytes) {
        let ty = match ext.as_str() {
            "csv" => "text/csv; charset=utf-8",
            "md" => "text/markdown; charset=utf-8",
            _ => "text/plain; charset=utf-8",
        };
        return family(&["txt", "csv", "md", "log", "json", "xml", "yaml", "yml", "sql"], ty);
    }
    Err(Refused::Type)
}

/// Extensions whose format we check against the content.
fn known_extension(ext: &str) -> bool {
    const KNOWN: &[&str] = &[
        "pdf", "png", "jpg", "jpeg", "gif", "webp", "zip", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "txt", "csv",
        "md", "log", "json", "xml", "yaml", "yml", "sql",
    ];
    KNOWN.contains(&ext)
}

/// UTF-8 (allowing a character cut at the end of the sample) without NUL bytes.
fn looks_like_text(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return false;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() > sample.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_the_type() {
        assert_eq!(sniff(b"%PDF-1.7 ...", "合同.pdf").map(|s| s.content_type), Ok("application/pdf"));
        assert_eq!(sniff(b"%PDF-1.7 ...", "scan").map(|s| s.content_type), Ok("application/pdf"));
        assert_eq!(
            sniff("需求说明\n第一条".as_bytes(), "notes.txt").map(|s| s.content_type),
            Ok("text/plain; charset=utf-8")
        );
        assert_eq!(
            sniff(b"PK\x03\x04rest", "plan.xlsx").map(|s| s.content_type),
            Ok("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        );
    }

    #[test]
    fn executables_unknown_binaries_and_disguises_are_refused() {
        assert_eq!(sniff(b"MZ\x90\x00", "setup.exe"), Err(Refused::Type));
        assert_eq!(sniff(b"MZ\x90\x00", "report.pdf"), Err(Refused::Type));
        assert_eq!(sniff(b"\x7fELF\x02", "tool"), Err(Refused::Type));
        assert_eq!(sniff(&[0, 1, 2, 3, 0xFF], "data.bin"), Err(Refused::Type));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....", "invoice.pdf"), Err(Refused::Mismatch));
        assert_eq!(sniff(b"plain words", "photo.jpg"), Err(Refused::Mismatch));
        assert_eq!(sniff(b"echo hi", "run.bat"), Err(Refused::Type), "unknown extensions are refused");
        assert_eq!(sniff(b"<script>x</script>", "page.html"), Err(Refused::Type));
        assert_eq!(sniff(b"PK\x03\x04rest", "app.jar"), Err(Refused::Type));
        assert_eq!(sniff(b"notes", "v1.2 meeting notes").map(|s| s.content_type), Ok("text/plain; charset=utf-8"));
    }
}
