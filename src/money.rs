//! Money: stored as integer minor units (fen, cents) with an ISO 4217 code, spoken in the API as
//! `{"amount": "12000.00", "currency": "CNY"}` so no client ever rounds through a float.

use serde::{Deserialize, Serialize};

use crate::error::Msg;

pub const DEFAULT_CURRENCY: &str = "CNY";

/// The largest amount accepted: a trillion in major units, far beyond any engagement.
const MAX_MINOR: i64 = 100_000_000_000_000;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyDto {
    /// A decimal string with at most two decimals, e.g. `"12000.00"` or `"-500"`.
    #[schema(example = "12000.00")]
    pub amount: String,
    /// ISO 4217, e.g. `CNY`; `CNY` when left out.
    #[serde(default)]
    #[schema(example = "CNY")]
    pub currency: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Money {
    pub minor: i64,
    pub currency: String,
}

impl Money {
    pub fn zero() -> Self {
        Self { minor: 0, currency: DEFAULT_CURRENCY.to_owned() }
    }

    pub fn dto(&self) -> MoneyDto {
        MoneyDto { amount: format_amount(self.minor), currency: Some(self.currency.clone()) }
    }

    /// For people: `¥12,000.00`, `-US$500.00`, `EUR 80.00`.
    pub fn display(&self) -> String {
        let symbol = match self.currency.as_str() {
            "CNY" => "¥",
            "USD" => "US$",
            "HKD" => "HK$",
            "EUR" => "€",
            _ => "",
        };
        let sign = if self.minor < 0 { "-" } else { "" };
        let body = group_thousands(&format_amount(self.minor.abs()));
        if symbol.is_empty() { format!("{sign}{} {body}", self.currency) } else { format!("{sign}{symbol}{body}") }
    }
}

/// Parses a decimal amount into minor units: `12000`, `12,000.5`, `-300.25`; at most two
/// decimals, no exponent, no float on the way.
pub fn parse_amount(raw: &str) -> Result<i64, Msg> {
    let s: String = raw.trim().chars().filter(|c| *c != ',' && *c != '_').collect();
    if s.is_empty() {
        return Err(Msg::new("error-required"));
    }
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && frac.is_empty() || !plain(whole) || !plain(frac) {
        return Err(Msg::new("error-amount"));
    }
    if frac.len() > 2 {
        return Err(Msg::new("error-amount-decimals"));
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| Msg::new("error-amount-range"))? };
    let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| Msg::new("error-amount"))?;
    let minor = whole.checked_mul(100).and_then(|w| w.checked_add(cents)).filter(|m| *m <= MAX_MINOR);
    let minor = minor.ok_or(Msg::new("error-amount-range"))?;
    Ok(if negative { -minor } else { minor })
}

/// `1200000` → `"12000.00"`.
pub fn format_amount(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn group_thousands(plain: &str) -> String {
    let (whole, frac) = plain.split_once('.').unwrap_or((plain, ""));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if frac.is_empty() { out } else { format!("{out}.{frac}") }
}

/// Three capital letters, upper-cased; empty means `CNY`.
pub fn parse_currency(raw: Option<&str>) -> Result<String, Msg> {
    let c = raw.map(str::trim).filter(|c| !c.is_empty()).unwrap_or(DEFAULT_CURRENCY).to_ascii_uppercase();
    if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()) { Ok(c) } else { Err(Msg::new("error-currency")) }
}

impl TryFrom<&MoneyDto> for Money {
    type Error = Msg;

    fn try_from(d: &MoneyDto) -> Result<Self, Msg> {
        Ok(Money { minor: parse_amount(&d.amount)?, currency: parse_currency(d.currency.as_deref())? })
    }
}

/// A percentage in basis points (1 bp = 0.01 %): `"30"`, `"12.5"`, `"33.33"` → 3000, 1250, 3333.
/// More than 0 and at most 100 %.
pub fn parse_percent(raw: &str) -> Result<i32, Msg> {
    let s = raw.trim().trim_end_matches('%').trim();
    if s.is_empty() {
        return Err(Msg::new("error-required"));
    }
    // The same decimal grammar as amounts: 12.5 % is 1250 bp as ¥12.50 is 1250 fen.
    let bp = parse_amount(s).map_err(|m| if m.key == "error-amount-decimals" { m } else { Msg::new("error-share") })?;
    if bp <= 0 || bp > 10_000 {
        return Err(Msg::new("error-share"));
    }
    i32::try_from(bp).map_err(|_| Msg::new("error-share"))
}

/// `3000` bp → `"30.00"`.
pub fn format_percent(bp: i32) -> String {
    format_amount(i64::from(bp))
}

/// A percentage for people: no trailing zeros, the sign attached (`6%`, `12.5%`, `0.25%`).
pub fn percent_display(bp: i32) -> String {
    let plain = format_percent(bp);
    let trimmed = if plain.contains('.') { plain.trim_end_matches('0').trim_end_matches('.') } else { &plain };
    format!("{trimmed}%")
}

/// A decimal amount as stored in a frozen version (`"12000.00"`) for people, like
/// [`Money::display`]; the text as it was when it does not read as an amount.
pub fn amount_display(amount: &str, currency: &str) -> String {
    match parse_amount(amount) {
        Ok(minor) => Money { minor, currency: currency.to_owned() }.display(),
        Err(_) => format!("{currency} {amount}"),
    }
}

/// Integer division of `num` by a positive `den`, rounded half away from zero (四舍五入).
fn div_round(num: i128, den: i128) -> i128 {
    let q = num / den;
    let r = num % den;
    if r.abs() * 2 >= den { q + num.signum() } else { q }
}

/// `bp` basis points of `total_minor`, rounded half away from zero to the minor unit: 30 % of
/// ¥100,000.05 is ¥30,000.02 (30,000.015 rounds up). Each share is rounded on its own, so
/// shares of 33.33 % + 33.33 % + 33.34 % may differ from the total by a fen; the schedule
/// shows that difference instead of hiding it in one installment.
pub fn share(total_minor: i64, bp: i32) -> i64 {
    let v = div_round(i128::from(total_minor) * i128::from(bp), 10_000);
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The tax inside a tax-inclusive total (价税合计) at `rate_bp`: total × r ÷ (1 + r), rounded
/// half away from zero, as a VAT invoice computes 税额 from 价税合计. The amount without tax
/// is the total minus this.
pub fn tax_included(total_minor: i64, rate_bp: i32) -> i64 {
    if rate_bp <= 0 {
        return 0;
    }
    let v = div_round(i128::from(total_minor) * i128::from(rate_bp), 10_000 + i128::from(rate_bp));
    i64::try_from(v).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_to_minor_units_without_floats() {
        assert_eq!(parse_amount("12000.00"), Ok(1_200_000));
        assert_eq!(parse_amount("12,000.5"), Ok(1_200_050));
        assert_eq!(parse_amount("-300.25"), Ok(-30_025));
        assert_eq!(parse_amount(".5"), Ok(50));
        assert_eq!(parse_amount("0.07"), Ok(7));
        assert_eq!(parse_amount("1.234").map_err(|m| m.key), Err("error-amount-decimals"));
        assert_eq!(parse_amount("1e5").map_err(|m| m.key), Err("error-amount"));
        assert_eq!(parse_amount("").map_err(|m| m.key), Err("error-required"));
        assert_eq!(parse_amount("-").map_err(|m| m.key), Err("error-amount"));
        assert_eq!(parse_amount("99999999999999999999").map_err(|m| m.key), Err("error-amount-range"));
    }

    #[test]
    fn amounts_format_back_exactly() {
        assert_eq!(format_amount(1_200_000), "12000.00");
        assert_eq!(format_amount(-5), "-0.05");
        let m = Money { minor: 123_456_789, currency: "CNY".into() };
        assert_eq!(m.display(), "¥1,234,567.89");
        let m = Money { minor: -50_000, currency: "GBP".into() };
        assert_eq!(m.display(), "-GBP 500.00");
    }

    #[test]
    fn percentages_and_shares_round_half_up_to_the_fen() {
        assert_eq!(parse_percent("30"), Ok(3000));
        assert_eq!(parse_percent("12.5%"), Ok(1250));
        assert_eq!(parse_percent("33.33"), Ok(3333));
        assert_eq!(parse_percent("100"), Ok(10_000));
        assert_eq!(parse_percent("0").map_err(|m| m.key), Err("error-share"));
        assert_eq!(parse_percent("100.01").map_err(|m| m.key), Err("error-share"));
        assert_eq!(parse_percent("1.234").map_err(|m| m.key), Err("error-amount-decimals"));
        assert_eq!(parse_percent("abc").map_err(|m| m.key), Err("error-share"));
        assert_eq!(format_percent(1250), "12.50");
        assert_eq!(percent_display(600), "6%");
        assert_eq!(percent_display(1250), "12.5%");
        assert_eq!(percent_display(25), "0.25%");
        assert_eq!(percent_display(0), "0%");
        assert_eq!(amount_display("12000.00", "CNY"), "¥12,000.00");
        assert_eq!(amount_display("80", "GBP"), "GBP 80.00");
        // 30 % of ¥100,000.05 = 30,000.015 → 30,000.02
        assert_eq!(share(10_000_005, 3000), 3_000_002);
        // 33.33 % of ¥100.00 is exact; half a fen rounds up, less than half down.
        assert_eq!(share(10_000, 3333), 3333);
        assert_eq!(share(1, 5000), 1);
        assert_eq!(share(1, 4999), 0);
        assert_eq!(share(123_456_789, 10_000), 123_456_789);
        // No overflow on the largest amount accepted.
        assert_eq!(share(100_000_000_000_000, 10_000), 100_000_000_000_000);
    }

    #[test]
    fn tax_inside_a_tax_inclusive_total() {
        // ¥1,060,000.00 at 6 %: tax ¥60,000.00, net ¥1,000,000.00
        assert_eq!(tax_included(106_000_000, 600), 6_000_000);
        // ¥100.00 at 13 %: 100 × 0.13 / 1.13 = 11.504… → ¥11.50
        assert_eq!(tax_included(10_000, 1300), 1150);
        // ¥0.07 at 6 %: 0.003962… → ¥0.00
        assert_eq!(tax_included(7, 600), 0);
        assert_eq!(tax_included(10_000, 0), 0);
    }

    #[test]
    fn currencies_are_three_capitals() {
        assert_eq!(parse_currency(None), Ok("CNY".into()));
        assert_eq!(parse_currency(Some("usd")), Ok("USD".into()));
        assert!(parse_currency(Some("US")).is_err());
        assert!(parse_currency(Some("U$D")).is_err());
    }
}
