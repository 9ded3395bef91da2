//! What the seed leaves behind for the sweep: every id it made (by kind, with the engagement it
//! lives in), and every secret with its audience — record markers, prices, bank details, links
//! to records, party names and people.

use std::collections::BTreeMap;

use super::rules::{Audience, Code, KNOWN, money_forms};

/// A string the answers of some roles must never contain.
#[derive(Clone, Debug)]
pub struct Secret {
    /// What it is, for the report: `marker LKA07 (task)`, `price ¥683,917 (contract of vendor A)`.
    pub what: String,
    /// Every form to look for.
    pub needles: Vec<String>,
    pub audience: Audience,
    /// The kind of record, for the positive control's exceptions.
    pub kind: &'static str,
    /// Whether every role of the audience must see it at least once (the positive control).
    pub control: bool,
}

/// One seeded record: its id, the engagement it lives in (if any) and an extra value some
/// routes need alongside (a contract version's number, a file's parent).
#[derive(Clone, Debug)]
pub struct Rec {
    pub id: String,
    pub eng: Option<i64>,
}

#[derive(Default)]
pub struct World {
    pub secrets: Vec<Secret>,
    /// Ids by placeholder name (`eng`, `task`, `contract` …).
    pub ids: BTreeMap<&'static str, Vec<Rec>>,
    /// Placeholders that only make sense together (`{bid}` with its `{bid_file}` and
    /// `{selection}`): whole tuples, each a list of (name, value).
    pub tuples: BTreeMap<&'static str, Vec<Vec<(&'static str, String)>>>,
    next: u32,
    /// The main engagement (everyone takes part) and the host-only one.
    pub eng: i64,
    pub eng2: i64,
}

impl World {
    /// A fresh marker of `code` for a record of `kind`: put it (and the word `leakprobe`) in the
    /// record's text.
    pub fn mark(&mut self, code: Code, kind: &'static str) -> String {
        self.next += 1;
        let marker = format!("LK{}{:02}", code.letter(), self.next);
        self.secrets.push(Secret {
            what: format!("marker {marker} ({kind})"),
            needles: vec![marker.clone()],
            audience: code.audience(),
            kind,
            control: true,
        });
        marker
    }

    /// `{marker} leakprobe {text}`: a record's text with its marker and the common search word.
    pub fn text(&mut self, code: Code, kind: &'static str, text: &str) -> String {
        let m = self.mark(code, kind);
        format!("{m} leakprobe {text}")
    }

    /// A price in whole yuan that only `audience` may learn, in every form it may take; every
    /// role of the audience must meet it somewhere.
    pub fn price(&mut self, yuan: i64, audience: Audience, what: &str) {
        self.money(yuan * 100, audience, what, true);
    }

    /// A figure derived from prices (a sum, a tax, what is left to pay), in fen: looked for,
    /// not necessarily shown anywhere.
    pub fn figure(&mut self, minor: i64, audience: Audience, what: &str) {
        self.money(minor, audience, what, false);
    }

    fn money(&mut self, minor: i64, audience: Audience, what: &str, control: bool) {
        let shown = accord::money::Money { minor, currency: "CNY".into() }.display();
        self.secrets.push(Secret {
            what: format!("price {shown} ({what})"),
            needles: money_forms(minor),
            audience,
            kind: "price",
            control,
        });
    }

    pub fn secret(
        &mut self,
        what: String,
        needles: Vec<String>,
        audience: Audience,
        kind: &'static str,
        control: bool,
    ) {
        self.secrets.push(Secret { what, needles, audience, kind, control });
    }

    /// A link to a record (`/engagements/5/tasks/12`) that only its audience may follow.
    pub fn link(&mut self, url: String, audience: Audience) {
        self.secrets.push(Secret {
            what: format!("link {url}"),
            needles: vec![url],
            audience,
            kind: "link",
            control: false,
        });
    }

    pub fn add(&mut self, name: &'static str, id: impl ToString, eng: Option<i64>) {
        self.ids.entry(name).or_default().push(Rec { id: id.to_string(), eng });
    }

    pub fn tuple(&mut self, name: &'static str, values: Vec<(&'static str, String)>) {
        self.tuples.entry(name).or_default().push(values);
    }

    /// Each tuple of `name` once more with `field` taken from the next tuple: a certificate
    /// under the other vendor, a bid under the other selection (both must answer 404).
    pub fn crossed(&mut self, name: &'static str, field: &'static str) {
        let Some(real) = self.tuples.get(name).cloned() else { return };
        for (i, t) in real.iter().enumerate() {
            let other = &real[(i + 1) % real.len()];
            let value = other.iter().find(|(k, _)| *k == field).map(|(_, v)| v.clone()).unwrap_or_default();
            let crossed = t.iter().map(|(k, v)| (*k, if *k == field { value.clone() } else { v.clone() })).collect();
            if &crossed != t {
                self.tuple(name, crossed);
            }
        }
    }

    /// Party names and people, from the rules.
    pub fn known_parties(&mut self) {
        for k in KNOWN {
            if !k.forms.is_empty() {
                self.secret(
                    format!("name of {}", k.name),
                    k.forms.iter().map(|s| (*s).to_owned()).collect(),
                    Audience::Knows(k.party),
                    "party",
                    false,
                );
            }
            for forms in k.people {
                self.secret(
                    format!("person of {}: {}", k.name, forms.join(" / ")),
                    forms.iter().map(|s| (*s).to_owned()).collect(),
                    Audience::Knows(k.party),
                    "person",
                    false,
                );
            }
        }
    }
}
