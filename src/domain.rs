//! Input newtypes shared by every capability: values are parsed once at the edge
//! (form or JSON) and inner code can't hold an invalid one.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Msg;

/// A record id. Stored as an integer, spoken as a string in the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(pub i64);

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse::<i64>()
            .ok()
            .filter(|v| *v > 0)
            .map(Id)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid id {s:?}: expected a string of digits")))
    }
}

impl utoipa::PartialSchema for Id {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^[0-9]+$"))
            .examples([serde_json::json!("42")])
            .into()
    }
}
impl utoipa::ToSchema for Id {}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

pub fn parse_id(raw: &str) -> Result<i64, Msg> {
    raw.trim().parse::<i64>().ok().filter(|v| *v > 0).ok_or(Msg::new("error-id"))
}

/// A lower-cased e-mail address with a plausible shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(Msg::new("error-required"));
        }
        let ok = s.len() <= 254
            && !s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
            && match s.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if ok { Ok(Self(s)) } else { Err(Msg::new("error-email")) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

/// A new password that meets the policy. Never logged, never serialized.
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        let n = raw.chars().count();
        if n == 0 {
            Err(Msg::new("error-required"))
        } else if n < PASSWORD_MIN {
            Err(Msg::new("error-password-short").arg("min", PASSWORD_MIN))
        } else if n > PASSWORD_MAX {
            Err(Msg::new("error-too-long").arg("max", PASSWORD_MAX))
        } else {
            Ok(Self(raw.to_owned()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

/// Trimmed text with a required flag and a maximum length in characters.
pub fn text(raw: &str, required: bool, max: usize) -> Result<String, Msg> {
    let s = raw.trim();
    if required && s.is_empty() {
        Err(Msg::new("error-required"))
    } else if s.chars().count() > max {
        Err(Msg::new("error-too-long").arg("max", max))
    } else {
        Ok(s.to_owned())
    }
}

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? } err $err:literal) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, Msg> {
                match raw.trim() {
                    $($text => Ok($name::$variant),)+
                    "" => Err(Msg::new("error-required")),
                    _ => Err(Msg::new($err)),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// What a party is to the host organisation.
    PartyKind { Host = "host", Vendor = "vendor", Client = "client" } err "error-party-kind"
);

string_enum!(
    /// A user's role inside their own party.
    Role { Admin = "admin", Pm = "pm", Member = "member", Approver = "approver", Manager = "manager" } err "error-role"
);

impl Role {
    /// Roles a user of a party of this kind may hold.
    pub fn allowed_for(kind: PartyKind) -> &'static [Role] {
        match kind {
            PartyKind::Host => &[Role::Admin, Role::Pm, Role::Member, Role::Approver],
            PartyKind::Vendor | PartyKind::Client => &[Role::Manager, Role::Member],
        }
    }
}

string_enum!(
    /// What an engagement is about.
    EngagementKind {
        OutsourcedDevelopment = "outsourced_development",
        VendorDelivery = "vendor_delivery",
        ClientProject = "client_project",
        AfterSales = "after_sales",
    } err "error-engagement-kind"
);

string_enum!(
    /// Where an engagement is in its life (立项 → 进行 → 验收 → 关闭 → 归档).
    EngagementState {
        Initiating = "initiating",
        Active = "active",
        Accepting = "accepting",
        Closed = "closed",
        Archived = "archived",
    } err "error-engagement-state"
);

impl EngagementState {
    /// The states this one may move to.
    pub fn next(self) -> &'static [EngagementState] {
        use EngagementState::*;
        match self {
            Initiating => &[Active, Closed],
            Active => &[Accepting, Closed],
            Accepting => &[Active, Closed],
            Closed => &[Active, Archived],
            Archived => &[],
        }
    }
}

string_enum!(
    /// Health of an engagement, set by its PM.
    Health { Green = "green", Amber = "amber", Red = "red" } err "error-health"
);

string_enum!(
    /// What a participating party is to an engagement.
    Relation { Client = "client", Vendor = "vendor", Subcontractor = "subcontractor", Supervisor = "supervisor" } err "error-relation"
);

impl Relation {
    /// Whether a party of `kind` may take part in this relation.
    pub fn fits(self, kind: PartyKind) -> bool {
        match self {
            Relation::Client => kind == PartyKind::Client,
            Relation::Vendor | Relation::Subcontractor => kind == PartyKind::Vendor,
            Relation::Supervisor => kind != PartyKind::Host,
        }
    }
}

string_enum!(
    /// Who may see a record inside an engagement: the host only, the host and one named party,
    /// or every participant.
    Visibility { Internal = "internal", Party = "party", Participants = "participants" } err "error-visibility"
);

string_enum!(
    MilestoneStatus { Planned = "planned", Achieved = "achieved", Missed = "missed" } err "error-status"
);

string_enum!(
    TaskStatus { Todo = "todo", InProgress = "in_progress", Done = "done", Blocked = "blocked" } err "error-status"
);

/// The first day a date in Accord may be: nothing in a plan or a contract is older, and a bound
/// keeps date arithmetic (working days, lags, reminders) far from chrono's limits.
pub const DATE_MIN: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => chrono::NaiveDate::MIN,
};

/// The last day a date in Accord may be.
pub const DATE_MAX: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(d) => d,
    None => chrono::NaiveDate::MAX,
};

/// A calendar date written exactly `YYYY-MM-DD` (surrounding spaces aside), between
/// [`DATE_MIN`] and [`DATE_MAX`]. chrono alone would also take `+2026-2-3` and `2026- 02-03`.
pub fn parse_date(raw: &str) -> Result<chrono::NaiveDate, Msg> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Msg::new("error-required"));
    }
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    let date = match (shaped, num(0..4), num(5..7), num(8..10)) {
        (true, Some(y), Some(m), Some(d)) => i32::try_from(y)
            .ok()
            .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, m, d))
            .ok_or(Msg::new("error-date"))?,
        _ => return Err(Msg::new("error-date")),
    };
    in_date_range(date)
}

/// A date inside [`DATE_MIN`]..=[`DATE_MAX`], or the error saying so.
pub fn in_date_range(date: chrono::NaiveDate) -> Result<chrono::NaiveDate, Msg> {
    if (DATE_MIN..=DATE_MAX).contains(&date) {
        Ok(date)
    } else {
        Err(Msg::new("error-date-range").arg("min", DATE_MIN).arg("max", DATE_MAX))
    }
}

/// `d` moved by `days` (back when negative), kept inside the accepted range: no count of days
/// can overflow chrono (whose `+` panics) however far it reaches.
pub fn add_days(d: chrono::NaiveDate, days: i64) -> chrono::NaiveDate {
    let limit = if days < 0 { DATE_MIN } else { DATE_MAX };
    chrono::TimeDelta::try_days(days).and_then(|t| d.checked_add_signed(t)).unwrap_or(limit).clamp(DATE_MIN, DATE_MAX)
}

/// A date and time of day written exactly `YYYY-MM-DDTHH:MM` (or with a space for the `T`),
/// its date inside the same range as [`parse_date`]'s.
pub fn parse_date_time(raw: &str) -> Result<chrono::NaiveDateTime, Msg> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Msg::new("error-required"));
    }
    let (date, time) = match (s.get(..10), s.get(10..11), s.get(11..)) {
        (Some(d), Some("T" | " "), Some(t)) => (d, t),
        _ => return Err(Msg::new("error-date")),
    };
    let date = parse_date(date)?;
    let t = time.as_bytes();
    let shaped = t.len() == 5 && t[2] == b':' && t.iter().enumerate().all(|(i, c)| i == 2 || c.is_ascii_digit());
    let hm = |r: std::ops::Range<usize>| time.get(r).and_then(|p| p.parse::<u32>().ok());
    match (shaped, hm(0..2), hm(3..5)) {
        (true, Some(h), Some(m)) => date.and_hms_opt(h, m, 0).ok_or(Msg::new("error-date")),
        _ => Err(Msg::new("error-date")),
    }
}

/// A time zone name from the IANA database.
pub fn parse_time_zone(raw: &str) -> Result<String, Msg> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Msg::new("error-required"));
    }
    s.parse::<chrono_tz::Tz>().map(|tz| tz.name().to_owned()).map_err(|_| Msg::new("error-time-zone"))
}

/// The time zones offered in forms; any IANA name is accepted through the API.
pub const COMMON_TIME_ZONES: &[&str] = &[
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Australia/Sydney",
    "UTC",
];

/// Validates a 统一社会信用代码 (GB 32100-2015): 18 characters, check digit over the first 17.
pub fn parse_credit_code(raw: &str) -> Result<Option<String>, Msg> {
    const CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let s = raw.trim().to_uppercase();
    if s.is_empty() {
        return Ok(None);
    }
    let values: Option<Vec<u32>> = s.chars().map(|c| CHARS.find(c).and_then(|i| u32::try_from(i).ok())).collect();
    let Some(values) = values.filter(|v| v.len() == 18) else {
        return Err(Msg::new("error-credit-code"));
    };
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    if values[17] == check { Ok(Some(s)) } else { Err(Msg::new("error-credit-code")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(Email::parse("  Li.Lei@Example.COM ").map(Email::into_inner), Ok("li.lei@example.com".into()));
        assert_eq!(Email::parse("no-at-sign").map(Email::into_inner), Err(Msg::new("error-email")));
        assert_eq!(Email::parse("a@b").map(Email::into_inner), Err(Msg::new("error-email")));
        assert_eq!(Email::parse("").map(Email::into_inner), Err(Msg::new("error-required")));
    }

    #[test]
    fn credit_code_checksum() {
        assert_eq!(parse_credit_code("91350100M000100Y43"), Ok(Some("91350100M000100Y43".into())));
        assert_eq!(parse_credit_code("91350100M000100Y44"), Err(Msg::new("error-credit-code")));
        assert_eq!(parse_credit_code(""), Ok(None));
    }

    #[test]
    fn id_is_a_string_on_the_wire() {
        assert_eq!(serde_json::to_string(&Id(7)).ok().as_deref(), Some("\"7\""));
        assert!(serde_json::from_str::<Id>("7").is_err());
        assert_eq!(serde_json::from_str::<Id>("\"7\"").ok(), Some(Id(7)));
    }

    #[test]
    fn dates_are_exact_and_in_range() {
        for bad in ["2026-2-3", "+2026-02-03", "2026-02- 3", "2026 -02-03", "20260203", "2026-02-03x", "２０２６-02-03"]
        {
            assert_eq!(parse_date(bad), Err(Msg::new("error-date")), "{bad}");
        }
        for far in ["1899-12-31", "2200-01-01", "0000-01-01", "9999-12-31"] {
            assert_eq!(parse_date(far).map_err(|m| m.key), Err("error-date-range"), "{far}");
        }
        assert_eq!(parse_date("1900-01-01"), Ok(DATE_MIN));
        assert_eq!(parse_date("2199-12-31"), Ok(DATE_MAX));
        assert_eq!(parse_date_time("2026-12-20T18:00").map(|d| d.to_string()), Ok("2026-12-20 18:00:00".to_owned()));
        assert_eq!(parse_date_time("2026-12-20 18:00").map(|d| d.to_string()), Ok("2026-12-20 18:00:00".to_owned()));
        for bad in ["2026-12-20T8:00", "2026-12-20T18:00:00", "2026-12-20T24:00", "2026-12-20", "+2026-12-20T18:00"] {
            assert!(parse_date_time(bad).is_err(), "{bad}");
        }
        assert!(parse_date_time("2200-01-01T00:00").is_err_and(|m| m.key == "error-date-range"));
        assert_eq!(add_days(DATE_MIN, 1).to_string(), "1900-01-02");
        assert_eq!(add_days(DATE_MAX, 1), DATE_MAX);
        assert_eq!(add_days(DATE_MIN, i64::MIN), DATE_MIN);
        assert_eq!(add_days(chrono::NaiveDate::MAX, i64::MAX), DATE_MAX);
    }

    #[test]
    fn dates_and_transitions() {
        assert!(parse_date("2026-02-30").is_err());
        assert_eq!(parse_date(" 2026-02-14 ").map(|d| d.to_string()), Ok("2026-02-14".to_owned()));
        assert!(EngagementState::Active.next().contains(&EngagementState::Accepting));
        assert!(EngagementState::Archived.next().is_empty());
        assert!(Relation::Client.fits(PartyKind::Client) && !Relation::Client.fits(PartyKind::Vendor));
    }

    #[test]
    fn roles_follow_party_kind() {
        assert!(Role::allowed_for(PartyKind::Vendor).contains(&Role::Manager));
        assert!(!Role::allowed_for(PartyKind::Vendor).contains(&Role::Admin));
    }
}

string_enum!(
    /// What a requirement is about.
    RequirementKind {
        Functional = "functional",
        NonFunctional = "non_functional",
        Interface = "interface",
        Data = "data",
        Constraint = "constraint",
    } err "error-requirement-kind"
);

string_enum!(
    /// MoSCoW priority.
    Priority { Must = "must", Should = "should", Could = "could", Wont = "wont" } err "error-priority"
);

string_enum!(
    /// Where a requirement is: draft → in review → approved → changed / obsolete.
    RequirementStatus {
        Draft = "draft",
        InReview = "in_review",
        Approved = "approved",
        Changed = "changed",
        Obsolete = "obsolete",
    } err "error-requirement-status"
);

string_enum!(
    /// Where a change request stands; deferred ones come back to `pending` on their date.
    ChangeState { Pending = "pending", Approved = "approved", Rejected = "rejected", Deferred = "deferred" } err "error-status"
);

string_enum!(
    /// What a risk threatens.
    RiskCategory {
        Schedule = "schedule",
        Cost = "cost",
        Quality = "quality",
        Scope = "scope",
        Vendor = "vendor",
        Contract = "contract",
        Compliance = "compliance",
        Security = "security",
    } err "error-risk-category"
);

string_enum!(
    /// How a risk is answered.
    RiskStrategy { Avoid = "avoid", Mitigate = "mitigate", Transfer = "transfer", Accept = "accept" } err "error-risk-strategy"
);

string_enum!(
    /// Where a risk stands: open → monitoring → occurred → closed (a closed risk may reopen).
    RiskStatus { Open = "open", Monitoring = "monitoring", Occurred = "occurred", Closed = "closed" } err "error-risk-status"
);

impl RiskStatus {
    /// The statuses this one may move to.
    pub fn next(self) -> &'static [RiskStatus] {
        use RiskStatus::*;
        match self {
            Open => &[Monitoring, Occurred, Closed],
            Monitoring => &[Open, Occurred, Closed],
            Occurred => &[Monitoring, Closed],
            Closed => &[Open],
        }
    }

    /// Whether the risk still needs watching (it counts on the heat map).
    pub fn is_live(self) -> bool {
        self != RiskStatus::Closed
    }
}

string_enum!(
    /// What an engagement's money is spent on.
    CostCategory {
        Labour = "labour",
        Vendor = "vendor",
        Hardware = "hardware",
        Software = "software",
        Travel = "travel",
        Other = "other",
    } err "error-cost-category"
);

string_enum!(
    /// Where an expense stands: counted, waiting for an approver (over budget), or rejected.
    ExpenseState { Counted = "counted", Pending = "pending", Rejected = "rejected" } err "error-status"
);

string_enum!(
    /// What an entry of the issue log is.
    IssueKind { Issue = "issue", Conflict = "conflict", Question = "question", Decision = "decision" } err "error-issue-kind"
);

string_enum!(
    /// How bad an issue is; its SLA targets follow.
    IssueSeverity { Critical = "critical", High = "high", Medium = "medium", Low = "low" } err "error-issue-severity"
);

string_enum!(
    /// Where an issue stands: open → responded → resolved → closed (the raiser confirmed); a
    /// resolved issue the raiser does not accept goes back to open.
    IssueStatus { Open = "open", Responded = "responded", Resolved = "resolved", Closed = "closed" } err "error-issue-status"
);

string_enum!(
    /// What one approver says about a change request.
    ChangeDecision { Approve = "approve", Reject = "reject", Defer = "defer" } err "error-decision"
);

string_enum!(
    /// What a change request does to one requirement.
    ScopeAction { Add = "add", Change = "change", Remove = "remove" } err "error-scope-action"
);

string_enum!(
    /// Where a contract is in its life.
    ContractState {
        Draft = "draft",
        InReview = "in_review",
        Signed = "signed",
        Active = "active",
        Amended = "amended",
        Completed = "completed",
        Terminated = "terminated",
        Archived = "archived",
    } err "error-contract-state"
);

impl ContractState {
    /// Whether the contract binds its parties now: what it owes can fall due.
    pub fn in_force(self) -> bool {
        matches!(self, Self::Signed | Self::Active | Self::Amended)
    }
}

string_enum!(
    /// Whose fault a resolved payment dispute was.
    DisputeFault { Counterparty = "counterparty", Host = "host", NoFault = "none" } err "error-dispute-fault"
);

string_enum!(
    /// What a contract clause is about.
    ClauseKind {
        Scope = "scope",
        Schedule = "schedule",
        DeliveryStandard = "delivery_standard",
        Acceptance = "acceptance",
        Payment = "payment",
        Liability = "liability",
        Ip = "ip",
        Confidentiality = "confidentiality",
        Warranty = "warranty",
        Termination = "termination",
        Other = "other",
    } err "error-clause-kind"
);

string_enum!(
    /// What an installment pays for.
    InstallmentKind { Advance = "advance", Progress = "progress", Final = "final", Retention = "retention" } err "error-installment-kind"
);

string_enum!(
    /// What makes an installment due.
    TriggerKind { Date = "date", Acceptance = "acceptance", WarrantyEnd = "warranty_end" } err "error-trigger-kind"
);

string_enum!(
    /// Where an installment is: planned → due → invoiced → paid, or cancelled on termination.
    InstallmentState { Planned = "planned", Due = "due", Invoiced = "invoiced", Paid = "paid", Cancelled = "cancelled" } err "error-status"
);

string_enum!(
    /// 初验 (initial) or 终验 (final) acceptance.
    AcceptanceStage { Initial = "initial", Final = "final" } err "error-acceptance-stage"
);

string_enum!(
    /// What an acceptance round concluded.
    AcceptanceOutcome {
        Accepted = "accepted",
        AcceptedWithConditions = "accepted_with_conditions",
        Rejected = "rejected",
    } err "error-acceptance-outcome"
);

string_enum!(
    Severity { Critical = "critical", Major = "major", Minor = "minor" } err "error-severity"
);

string_enum!(
    DefectStatus { Open = "open", Resolved = "resolved", Closed = "closed" } err "error-status"
);

string_enum!(
    ObligationStatus { Open = "open", Done = "done", Waived = "waived" } err "error-status"
);

string_enum!(
    /// How a periodic contract review found the contract.
    CheckupRating { OnTrack = "on_track", Attention = "attention", AtRisk = "at_risk" } err "error-rating"
);

/// Something that waits for a person's action, for their home desk. Each capability says what
/// of its own waits for a viewer; the desk puts them together.
#[derive(Clone, Debug)]
pub struct Waiting {
    /// The message key naming what is asked (`waiting-sign-requirements`, …).
    pub what: &'static str,
    pub title: String,
    /// The engagement it belongs to, whose code the desk shows; `None` with `context` set.
    pub engagement_id: Option<i64>,
    /// Where it lives when not one engagement (a contract's number).
    pub context: String,
    pub due: Option<chrono::NaiveDate>,
    /// Where the person acts on it.
    pub url: String,
}

/// How many records of one kind a desk looks at (the oldest-due first).
pub const DESK_LIMIT: u64 = 50;
