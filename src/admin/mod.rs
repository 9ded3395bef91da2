//! Administration pages that are not about one kind of record: the audit log.

pub mod audit;

pub use audit::routes;
