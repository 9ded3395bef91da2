//! Reading an answer for secrets: the body as text (a ZIP such as an XLSX is unpacked and its
//! XML read), the headers that carry names (file names, redirects), every needle of every
//! secret in one pass, and an excerpt around each hit.

use std::io::Read;

use aho_corasick::{AhoCorasick, MatchKind};

use super::world::Secret;

/// Every needle of every secret, in one automaton.
pub struct Scanner {
    ac: AhoCorasick,
    /// For each pattern: the secret it belongs to and whether it is a figure (digits).
    owners: Vec<(usize, bool)>,
}

/// A needle found: which secret, and a short excerpt around it.
pub struct Hit {
    pub secret: usize,
    pub excerpt: String,
}

impl Scanner {
    pub fn new(secrets: &[Secret]) -> Self {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for (i, s) in secrets.iter().enumerate() {
            for n in &s.needles {
                patterns.push(n.to_ascii_lowercase());
                owners.push((i, n.starts_with(|c: char| c.is_ascii_digit())));
            }
        }
        let ac = AhoCorasick::builder().match_kind(MatchKind::Standard).build(&patterns).expect("automaton");
        Self { ac, owners }
    }

    /// Every secret found in `text`, once each (the first place it shows).
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        let lower = text.to_ascii_lowercase();
        let bytes = lower.as_bytes();
        let mut found: Vec<Hit> = Vec::new();
        for m in self.ac.find_overlapping_iter(&lower) {
            let (secret, figure) = self.owners[m.pattern().as_usize()];
            if found.iter().any(|h| h.secret == secret) {
                continue;
            }
            let (start, end) = (m.start(), m.end());
            let alnum = |b: u8| b.is_ascii_alphanumeric();
            let first = bytes[start];
            let last = bytes[end - 1];
            let before = start.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(end).copied();
            // A needle is a whole word or number: `LKA07` is not inside `LKA071`, `683917` not
            // inside `1683917` or a hex hash, `683,917` not the tail of `1,683,917`.
            if alnum(first) && before.is_some_and(|b| alnum(b) || (figure && (b == b',' || b == b'.'))) {
                continue;
            }
            if alnum(last) && after.is_some_and(alnum) {
                continue;
            }
            found.push(Hit { secret, excerpt: excerpt(text, start, end) });
        }
        found
    }
}

/// About forty characters either side of `start..end`, on one line.
fn excerpt(text: &str, start: usize, end: usize) -> String {
    let mut a = start.saturating_sub(60);
    while !text.is_char_boundary(a) {
        a += 1;
    }
    let mut b = (end + 60).min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    let flat: String = text[a..b].chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("…{flat}…")
}

/// The answer as text: a ZIP (an XLSX) is unpacked, every entry read.
pub fn text_of(body: &[u8]) -> String {
    if body.starts_with(b"PK\x03\x04") {
        let mut out = String::new();
        let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(body)) else {
            return String::from_utf8_lossy(body).into_owned();
        };
        for i in 0..zip.len() {
            let Ok(mut entry) = zip.by_index(i) else { continue };
            let mut bytes = Vec::new();
            if entry.read_to_end(&mut bytes).is_ok() {
                out.push_str(&String::from_utf8_lossy(&bytes));
                out.push('\n');
            }
        }
        return out;
    }
    String::from_utf8_lossy(body).into_owned()
}

#[test]
fn needles_are_whole_words_and_numbers() {
    use super::rules::Audience;
    let secret = |n: &str| Secret {
        what: n.into(),
        needles: vec![n.into()],
        audience: Audience::Host,
        kind: "test",
        control: false,
    };
    let s = Scanner::new(&[secret("LKA07"), secret("683917"), secret("683,917"), secret("Li Na")]);
    let hits = |t: &str| s.scan(t).into_iter().map(|h| h.secret).collect::<Vec<_>>();
    assert_eq!(hits("x LKA07 leakprobe"), vec![0]);
    assert!(hits("LKA071 and LKA0").is_empty());
    assert_eq!(hits("¥683,917.00 and 683917.00"), vec![2, 1]);
    assert!(hits("1,683,917 a683917 16839170").is_empty());
    assert_eq!(hits("李娜 Li Na"), vec![3]);
    assert!(hits("Li Nan").is_empty());
}
