//! Contracts between the host and one party: structured clauses drafted from a library,
//! frozen versions reviewed by legal and finance and signed by both sides, amendments,
//! obligations with reminders, periodic reviews, the payment schedule whose installments fall
//! due only when their trigger (a date, an acceptance, a warranty's end) has happened, invoices,
//! payments and the cash flow they add up to.

pub mod api;
pub mod cashflow;
pub mod clauses;
pub mod entity;
pub mod library;
pub mod lifecycle;
pub mod obligations;
pub mod payments;
pub mod service;
