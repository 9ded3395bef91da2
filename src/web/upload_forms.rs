//! Schemas of the multipart forms the upload operations read, for the document only: the
//! handlers read the parts themselves (`documents::read_form`), text fields as strings.

use utoipa::ToSchema;

use crate::domain::Id;

/// A new document: the file and where it belongs.
#[derive(ToSchema)]
pub struct DocumentForm {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// The name it is shown and downloaded under; the file's own name when left out.
    pub name: Option<String>,
    /// internal | party | participants
    pub visibility: Option<String>,
    pub visible_party_id: Option<Id>,
    /// milestone | deliverable | task
    pub subject_kind: Option<String>,
    pub subject_id: Option<Id>,
}

/// A file alone: a document's next version, a proposal for a bid.
#[derive(ToSchema)]
pub struct FileForm {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// A vendor's qualification certificate, with a scan of it if there is one.
#[derive(ToSchema)]
pub struct CertificateForm {
    /// What the certificate is, e.g. ISO 9001.
    pub kind: String,
    pub name: Option<String>,
    pub number: Option<String>,
    pub issuer: Option<String>,
    /// YYYY-MM-DD
    pub issued_on: Option<String>,
    /// YYYY-MM-DD
    pub expires_on: Option<String>,
    #[schema(value_type = Option<String>, format = Binary)]
    pub file: Option<Vec<u8>>,
}
