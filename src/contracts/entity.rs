//! Tables of contracts and their money.
/// A contract between the host and one party.
pub mod contract {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contracts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub number: String,
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub description: String,
        /// `payable` (a vendor's: we pay) or `receivable` (a client's: we are paid).
        pub direction: String,
        pub counterparty_id: i64,
        pub currency: String,
        /// The contract value including tax (价税合计), in minor units.
        pub total_minor: i64,
        /// VAT rate in basis points (600 = 6 %).
        pub tax_rate_bp: i32,
        pub tax_minor: i64,
        /// draft | in_review | signed | active | amended | completed | terminated | archived
        pub state: String,
        pub start_date: Option<Date>,
        pub end_date: Option<Date>,
        pub owner_id: Option<i64>,
        /// Who signs for each side; anyone who may bind that party when none is named.
        pub host_signatory_id: Option<i64>,
        pub counterparty_signatory_id: Option<i64>,
        /// Host reviewers every submitted version must pass; none named = no review step.
        pub legal_approver_id: Option<i64>,
        pub finance_approver_id: Option<i64>,
        /// Periodic contract reviews (0 = none) and when the next is due.
        pub review_every_months: i32,
        pub next_review_on: Option<Date>,
        pub renewal_notice_days: i32,
        /// The signed version in force (0 before the first signature).
        pub current_version: i32,
        /// Some while an amendment is being drafted or reviewed.
        pub amendment_reason: Option<String>,
        pub amendment_change_request_id: Option<i64>,
        #[sea_orm(column_type = "Text")]
        pub terminated_reason: String,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The engagements a contract covers.
pub mod contract_engagement {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contract_engagements")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub contract_id: i64,
        pub engagement_id: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A structured clause of a contract's working copy.
pub mod clause {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contract_clauses")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub contract_id: i64,
        pub position: i32,
        /// scope | schedule | delivery_standard | acceptance | payment | liability | ip | confidentiality | warranty | termination | other
        pub kind: String,
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub body: String,
        pub due_date: Option<Date>,
        pub amount_minor: Option<i64>,
        pub milestone_id: Option<i64>,
        pub deliverable_id: Option<i64>,
        pub warranty_months: Option<i32>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The organisation's own clause templates (the shipped ones live in `library`).
pub mod clause_template {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "clause_templates")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub kind: String,
        pub locale: String,
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub body: String,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A submitted version: the frozen content that is reviewed, hashed and signed.
pub mod version {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contract_versions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub contract_id: i64,
        pub number: i32,
        /// in_review | returned | approved | signed
        pub status: String,
        #[sea_orm(column_type = "Text")]
        pub content: String,
        pub content_sha256: String,
        #[sea_orm(column_type = "Text")]
        pub reason: String,
        pub change_request_id: Option<i64>,
        pub submitted_by: i64,
        pub submitted_at: DateTimeUtc,
        pub decided_at: Option<DateTimeUtc>,
        pub signed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A legal or finance reviewer's decision on a version.
pub mod review {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contract_reviews")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub version_id: i64,
        pub user_id: i64,
        /// legal | finance
        pub capacity: String,
        /// approve | return
        pub decision: String,
        #[sea_orm(column_type = "Text")]
        pub comment: String,
        pub decided_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One side's signature on a version, with the hash it signed.
pub mod signature {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contract_signatures")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub version_id: i64,
        pub party_id: i64,
        pub user_id: i64,
        pub content_sha256: String,
        pub signed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Who owes what by when under a contract.
pub mod obligation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contract_obligations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub contract_id: i64,
        pub clause_id: Option<i64>,
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub description: String,
        pub owed_by_party_id: i64,
        pub due_date: Date,
        /// open | done | waived
        pub status: String,
        #[sea_orm(column_type = "Text")]
        pub note: String,
        pub done_by: Option<i64>,
        pub done_at: Option<DateTimeUtc>,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A periodic contract review: findings and actions.
pub mod checkup {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contract_checkups")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub contract_id: i64,
        pub held_on: Date,
        /// on_track | attention | at_risk
        pub rating: String,
        #[sea_orm(column_type = "Text")]
        pub findings: String,
        #[sea_orm(column_type = "Text")]
        pub actions: String,
        pub reviewer_id: i64,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One installment of a contract's payment schedule.
pub mod installment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "installments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub contract_id: i64,
        pub seq: i32,
        pub name: String,
        /// advance | progress | final | retention
        pub kind: String,
        pub amount_minor: i64,
        /// Set when the amount is a share of the contract total.
        pub percent_bp: Option<i32>,
        /// date | acceptance | warranty_end
        pub trigger_kind: String,
        pub trigger_date: Option<Date>,
        pub deliverable_id: Option<i64>,
        pub milestone_id: Option<i64>,
        /// initial | final, for acceptance triggers.
        pub stage: Option<String>,
        /// When the money is expected, for the cash-flow plan.
        pub expected_on: Option<Date>,
        /// planned | due | invoiced | paid | cancelled
        pub state: String,
        pub due_on: Option<Date>,
        pub invoiced_minor: i64,
        pub paid_minor: i64,
        pub override_by: Option<i64>,
        #[sea_orm(column_type = "Text")]
        pub override_reason: String,
        pub override_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An invoice issued against an installment.
pub mod invoice {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "invoices")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub installment_id: i64,
        pub number: String,
        pub amount_minor: i64,
        pub issued_on: Date,
        pub document_id: Option<i64>,
        pub recorded_by: i64,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Money paid against an installment (partial payments allowed).
pub mod payment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "payments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub installment_id: i64,
        pub reference: String,
        pub amount_minor: i64,
        pub paid_on: Date,
        pub document_id: Option<i64>,
        pub recorded_by: i64,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One side contesting an installment: its amount, its invoice or its timing.
pub mod dispute {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "payment_disputes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub contract_id: i64,
        pub installment_id: i64,
        pub raised_by_party_id: i64,
        pub raised_by: i64,
        #[sea_orm(column_type = "Text")]
        pub reason: String,
        /// The sum contested, when it is not the whole installment.
        pub amount_minor: Option<i64>,
        /// open | resolved | withdrawn
        pub state: String,
        /// Whose fault it was, once resolved: counterparty | host | none.
        pub fault: Option<String>,
        #[sea_orm(column_type = "Text")]
        pub resolution: String,
        pub closed_by: Option<i64>,
        pub closed_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
