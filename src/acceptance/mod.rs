//! Acceptance and quality: formal acceptance of deliverables (初验 / 终验) from their criteria
//! as a checklist, signed by each required party with the content hash; rejection → defects →
//! the next round; quality checks; the warranty period final acceptance starts.

pub mod api;
pub mod defects;
pub mod entity;
pub mod quality;
pub mod service;
pub mod warranty;
