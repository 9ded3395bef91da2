//! Tables of the vendors capability.

macro_rules! table {
    ($module:ident, $table:literal, { $($field:tt)* }) => {
        pub mod $module {
            use sea_orm::entity::prelude::*;

            #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
            #[sea_orm(table_name = $table)]
            pub struct Model {
                #[sea_orm(primary_key)]
                pub id: i64,
                $($field)*
            }

            #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
            pub enum Relation {}

            impl ActiveModelBehavior for ActiveModel {}
        }
    };
}

table!(profile, "vendor_profiles", {
    pub party_id: i64,
    /// prospect | qualified | active | suspended | blacklisted
    pub status: String,
    /// JSON array of capability categories.
    #[sea_orm(column_type = "Text")]
    pub categories: String,
    /// JSON array of regions served.
    #[sea_orm(column_type = "Text")]
    pub regions: String,
    /// micro | small | medium | large, or empty.
    pub size: String,
    pub bank_name: String,
    pub bank_account: String,
    pub bank_account_name: String,
    pub updated_at: DateTimeUtc,
});

table!(status_change, "vendor_status_changes", {
    pub party_id: i64,
    pub from_status: String,
    pub to_status: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub changed_by: Option<i64>,
    pub created_at: DateTimeUtc,
});

table!(certificate, "vendor_certificates", {
    pub party_id: i64,
    /// iso9001 | iso27001 | iso20000 | cmmi | dengbao | license | other
    pub kind: String,
    pub name: String,
    pub number: String,
    pub issuer: String,
    pub issued_on: Option<Date>,
    pub expires_on: Option<Date>,
    /// When the expiry reminder went out.
    pub reminded_at: Option<DateTimeUtc>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
});

table!(file, "vendor_files", {
    /// certificate | bid
    pub owner_kind: String,
    pub owner_id: i64,
    pub file_name: String,
    pub object_key: String,
    pub size: i64,
    pub content_type: String,
    pub sha256: String,
    pub uploaded_by: i64,
    pub created_at: DateTimeUtc,
});

table!(selection, "selections", {
    pub title: String,
    pub engagement_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub scope: String,
    /// The capability category sought, or empty.
    pub category: String,
    pub currency: String,
    pub budget_min_minor: Option<i64>,
    pub budget_max_minor: Option<i64>,
    /// Bids are taken until then.
    pub deadline: DateTimeUtc,
    /// open | closed | awarded | cancelled
    pub state: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub awarded_party_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub justification: String,
    pub awarded_by: Option<i64>,
    pub awarded_at: Option<DateTimeUtc>,
    pub contract_id: Option<i64>,
});

table!(criterion, "selection_criteria", {
    pub selection_id: i64,
    pub position: i32,
    pub name: String,
    /// Percent; a selection's weights add up to 100.
    pub weight: i32,
});

table!(evaluator, "selection_evaluators", {
    pub selection_id: i64,
    pub user_id: i64,
    pub added_by: i64,
    pub created_at: DateTimeUtc,
});

table!(invitation, "selection_invitations", {
    pub selection_id: i64,
    pub party_id: i64,
    pub added_by: i64,
    pub created_at: DateTimeUtc,
});

table!(bid, "selection_bids", {
    pub selection_id: i64,
    pub party_id: i64,
    pub price_minor: i64,
    pub currency: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    /// 1 for the first submission, +1 for each revision before the deadline.
    pub revision: i32,
    pub submitted_by: i64,
    pub submitted_at: DateTimeUtc,
});

table!(score, "selection_scores", {
    pub selection_id: i64,
    pub evaluator_id: i64,
    pub party_id: i64,
    pub criterion_id: i64,
    /// 0–100
    pub score: i32,
    pub scored_at: DateTimeUtc,
});

table!(template, "evaluation_templates", {
    /// selection | evaluation
    pub kind: String,
    pub name: String,
    /// JSON array of `{"name","weight"}`.
    #[sea_orm(column_type = "Text")]
    pub criteria: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
});

table!(evaluation, "vendor_evaluations", {
    pub party_id: i64,
    /// `2026Q3`
    pub period: String,
    pub template: String,
    /// JSON array of `{"name","weight","score"}`.
    #[sea_orm(column_type = "Text")]
    pub scores: String,
    /// Weighted total in basis points of 100 (0–10000).
    pub total_bp: i32,
    #[sea_orm(column_type = "Text")]
    pub comment: String,
    pub evaluator_id: i64,
    pub created_at: DateTimeUtc,
});

table!(publication, "scorecard_publications", {
    pub party_id: i64,
    pub period: String,
    /// The scorecard as published, JSON.
    #[sea_orm(column_type = "Text")]
    pub snapshot: String,
    pub published_by: i64,
    pub published_at: DateTimeUtc,
});
