//! Languages and translation: zh-CN and en from the Fluent files under `locales/`,
//! compiled into the binary. The request language comes from the user's setting
//! (mirrored in the `accord_lang` cookie), else `Accept-Language`.

use std::{borrow::Cow, collections::HashMap};

use axum::http::{HeaderMap, header};
use fluent_templates::{LanguageIdentifier, Loader, fluent_bundle::FluentValue, langid, static_loader};

static_loader! {
    // The Fluent files are immutable program text, like the templates: compiled in once.
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ZH_CN: LanguageIdentifier = langid!("zh-CN");
static EN: LanguageIdentifier = langid!("en");

pub const LANG_COOKIE: &str = "accord_lang";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        if code.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if code.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::ZhCn => &ZH_CN,
            Lang::En => &EN,
        }
    }

    /// The translation of `key`; the key itself when missing (a test checks none are, and the
    /// page sweep reads [`missing`] for keys made at run time).
    pub fn t(self, key: &str) -> String {
        self.noted(key, LOCALES.try_lookup(self.id(), key))
    }

    /// The lookup's answer, or the key itself with a note that it is missing. Debug builds (the
    /// tests) also note a key this language lacks that the fallback language answered.
    fn noted(self, key: &str, found: Option<String>) -> String {
        match found {
            Some(text) => {
                if cfg!(debug_assertions) && self != Lang::En && !self.has(key) {
                    note_missing(self, key);
                }
                text
            }
            None => {
                note_missing(self, key);
                key.to_owned()
            }
        }
    }

    pub fn t_args(self, key: &str, args: &[(&str, String)]) -> String {
        if args.is_empty() {
            return self.t(key);
        }
        let map: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(k, v)| (Cow::Owned((*k).to_owned()), FluentValue::from(v.clone()))).collect();
        self.noted(key, LOCALES.try_lookup_with_args(self.id(), key, &map))
    }

    /// Whether this language itself (not the fallback) defines `key`.
    pub fn has(self, key: &str) -> bool {
        match LOCALES.lookup_single_language::<String>(self.id(), key, None) {
            Ok(_) => true,
            // Present, but formatting wanted arguments that were not given. The error type is
            // not exported by fluent-templates, so its variant is read from Debug.
            Err(e) => format!("{e:?}").starts_with("FluentError"),
        }
    }

    /// Picks the language of a request: explicit cookie, then Accept-Language, then `default`.
    pub fn from_headers(headers: &HeaderMap, default: Lang) -> Lang {
        if let Some(lang) = cookie(headers, LANG_COOKIE).and_then(|v| Lang::parse(&v)) {
            return lang;
        }
        headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(negotiate).unwrap_or(default)
    }
}

/// A subject's stored title as the page's language reads it. Titles are stored once for every
/// reader; an acceptance's is its round and stage code (`#2 initial`), named here.
pub fn record_title(lang: Lang, kind: &str, stored: &str) -> String {
    if kind == "acceptance"
        && let Some((round, stage)) = stored.strip_prefix('#').and_then(|r| r.split_once(' '))
        && round.bytes().all(|b| b.is_ascii_digit())
        && matches!(stage, "initial" | "final")
    {
        let stage = lang.t(&format!("acceptance-stage-{stage}"));
        return format!("{stage} · {}", lang.t_args("acceptance-round", &[("round", round.to_owned())]));
    }
    stored.to_owned()
}

/// Keys looked up and not found since start, at most [`MISSING_MAX`] of them: each is logged
/// once, and the tests' page sweep fails on any.
static MISSING: std::sync::Mutex<std::collections::BTreeSet<(&'static str, String)>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());
const MISSING_MAX: usize = 1_000;

fn note_missing(lang: Lang, key: &str) {
    let mut set = MISSING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if set.len() < MISSING_MAX && set.insert((lang.code(), key.to_owned())) {
        tracing::warn!(lang = lang.code(), key, "no translation");
    }
}

/// The (language, key) pairs looked up without a translation so far.
pub fn missing() -> Vec<(&'static str, String)> {
    MISSING.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter().cloned().collect()
}

/// The first language in an Accept-Language header that we speak, by quality.
fn negotiate(accept: &str) -> Option<Lang> {
    let mut choices: Vec<(f32, Lang)> = accept
        .split(',')
        .filter_map(|part| {
            let mut it = part.split(';');
            let lang = Lang::parse(it.next()?)?;
            let q = it.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
            Some((q, lang))
        })
        .collect();
    choices.sort_by(|a, b| b.0.total_cmp(&a.0));
    choices.first().map(|c| c.1)
}

/// Reads one cookie from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_highest_quality_known_language() {
        assert_eq!(negotiate("fr-FR, en;q=0.8, zh-CN;q=0.9"), Some(Lang::ZhCn));
        assert_eq!(negotiate("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(negotiate("de"), None);
    }

    #[test]
    fn cookie_wins_over_header() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, "zh-CN".parse().unwrap_or_else(|_| unreachable!()));
        h.insert(header::COOKIE, "a=1; accord_lang=en".parse().unwrap_or_else(|_| unreachable!()));
        assert_eq!(Lang::from_headers(&h, Lang::ZhCn), Lang::En);
    }
}
