//! The error answers every operation declares, decided by the operation's shape rather than
//! listed by hand on each handler, so the document cannot forget one: see [`standard`].

use std::collections::HashMap;

use utoipa::{
    Modify,
    openapi::{
        ContentBuilder, HeaderBuilder, OpenApi, Ref, RefOr, ResponseBuilder,
        path::{Operation, ParameterIn},
        schema::{ObjectBuilder, Schema, SchemaType, Type},
        security::SecurityRequirement,
    },
};

/// What decides the statuses an operation can answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// Needs a bearer token or a session (every operation but the token exchange).
    pub secured: bool,
    /// Has a path parameter: an id that may name nothing, or nothing the caller may see.
    pub path_params: bool,
    /// Has query parameters, checked like a body's fields.
    pub query_params: bool,
    /// Reads a request body.
    pub body: bool,
    /// POST, PUT, PATCH or DELETE.
    pub write: bool,
}

/// The error statuses an operation of this shape declares, besides any it lists itself:
///
/// | status | declared by |
/// |---|---|
/// | 401 | every secured operation (no valid token or session) |
/// | 403 | every secured operation (a role limit; a session's write without its CSRF token) |
/// | 404 | operations with a path parameter (a record that isn't there or isn't visible, an id that isn't one) |
/// | 409 | writes (a state that forbids the step, a value taken, a record changed meanwhile) |
/// | 413, 415 | operations with a body (too large; not the media type the operation reads) |
/// | 422 | writes, and operations with a body or query parameters (a field that doesn't fit, a rule the input breaks) |
/// | 429 | every operation (rate limits) |
/// | 500 | every operation |
pub fn standard(shape: Shape) -> Vec<u16> {
    let mut out = Vec::new();
    if shape.secured {
        out.extend([401, 403]);
    }
    if shape.path_params {
        out.push(404);
    }
    if shape.write {
        out.push(409);
    }
    if shape.body {
        out.extend([413, 415]);
    }
    if shape.body || shape.query_params || shape.write {
        out.push(422);
    }
    out.extend([429, 500]);
    out
}

fn description(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "Done; no content",
        400 => "The request could not be read",
        401 => "Not signed in: no valid bearer token or session",
        403 => {
            "Signed in, but not allowed to do this (a role limit, or a browser session's write without its CSRF token)"
        }
        404 => "No such record, or one the caller may not see; an id that is not one names nothing either",
        409 => "The record's state forbids this step, the value is taken, or the record changed meanwhile",
        413 => "The body is larger than this operation accepts",
        415 => "The body is not of the media type this operation reads",
        422 => "The input does not fit: `errors` names each field or query parameter and what is wrong with it",
        429 => "Too many requests; try again after the seconds in `Retry-After`",
        500 => "A failure on the server's side; the detail is deliberately vague and the request id is logged",
        _ => "",
    }
}

/// Declares the standard error answers of every operation, all as problem documents, gives every
/// answer a description (OpenAPI requires one) and every operation a unique id.
pub struct StandardResponses;

impl Modify for StandardResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        let global_security = openapi.security.as_ref().is_some_and(|s| !s.is_empty());
        for item in openapi.paths.paths.values_mut() {
            for (method, op) in operations(item) {
                optional_body_schema(op);
                page_limit(op);
                let shape = shape_of(op, method, global_security);
                for status in standard(shape) {
                    op.responses.responses.entry(status.to_string()).or_insert_with(|| RefOr::T(Default::default()));
                }
                for (status, response) in op.responses.responses.iter_mut() {
                    let code = status.parse::<u16>().unwrap_or(0);
                    let RefOr::T(r) = response else { continue };
                    if r.description.is_empty() {
                        r.description = description(code).to_owned();
                    }
                    if code >= 400 {
                        *response = problem(code, std::mem::take(&mut r.description));
                    }
                }
            }
        }
        unique_operation_ids(openapi);
    }
}

/// Every list reads `limit` with `api::page_params`: say its bounds, which the handlers'
/// `Option<u64>` leaves out.
fn page_limit(op: &mut Operation) {
    for p in op.parameters.iter_mut().flatten() {
        if let RefOr::T(p) = p
            && p.name == "limit"
            && p.parameter_in == ParameterIn::Query
            && let Some(RefOr::T(Schema::Object(o))) = p.schema.as_mut()
        {
            o.minimum = Some(1u64.into());
            o.maximum = Some(crate::db::MAX_LIMIT.into());
        }
    }
}

/// An optional body is declared `Option<T>`, which utoipa writes as "null or T"; but a body of
/// `null` is refused like any non-object. What is optional is the body itself (`required:
/// false`), so its schema is T.
fn optional_body_schema(op: &mut Operation) {
    let Some(RefOr::T(body)) = op.request_body.as_mut() else { return };
    for content in body.content.values_mut() {
        let RefOr::T(content) = content else { continue };
        let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema else { continue };
        let not_null: Vec<&RefOr<Schema>> = one_of
            .items
            .iter()
            .filter(|s| !matches!(s, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null)))
            .collect();
        if let [only] = not_null[..] {
            content.schema = Some(only.clone());
        }
    }
}

/// Handlers of different capabilities share names (`list`, `get`), and OpenAPI wants every
/// operation id once: an id is the tag and the handler's name, or the method and path should
/// that pair come twice.
fn unique_operation_ids(openapi: &mut OpenApi) {
    let mut count: HashMap<String, usize> = HashMap::new();
    for item in openapi.paths.paths.values_mut() {
        for (_, op) in operations(item) {
            let tag = op.tags.as_ref().and_then(|t| t.first()).cloned().unwrap_or_default();
            let name = op.operation_id.clone().unwrap_or_default();
            let id = format!("{}_{name}", tag.replace('-', "_"));
            *count.entry(id.clone()).or_default() += 1;
            op.operation_id = Some(id);
        }
    }
    for (path, item) in openapi.paths.paths.iter_mut() {
        for (method, op) in operations(item) {
            if op.operation_id.as_ref().is_some_and(|id| count.get(id).copied().unwrap_or(0) > 1) {
                op.operation_id = Some(format!("{method} {path}"));
            }
        }
    }
}

fn operations(item: &mut utoipa::openapi::PathItem) -> Vec<(&'static str, &mut Operation)> {
    [
        ("get", item.get.as_mut()),
        ("put", item.put.as_mut()),
        ("post", item.post.as_mut()),
        ("delete", item.delete.as_mut()),
        ("patch", item.patch.as_mut()),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.map(|op| (m, op)))
    .collect()
}

fn shape_of(op: &Operation, method: &str, global_security: bool) -> Shape {
    let params: Vec<ParameterIn> = op
        .parameters
        .iter()
        .flatten()
        .filter_map(|p| match p {
            RefOr::T(p) => Some(p.parameter_in.clone()),
            RefOr::Ref(_) => None,
        })
        .collect();
    // `security(())` on an operation (the token exchange) lets anonymous callers in.
    let secured = match &op.security {
        Some(reqs) => !reqs.iter().any(|r| *r == SecurityRequirement::default()),
        None => global_security,
    };
    Shape {
        secured,
        path_params: params.contains(&ParameterIn::Path),
        query_params: params.contains(&ParameterIn::Query),
        body: op.request_body.is_some(),
        write: method != "get",
    }
}

/// An error answer: a problem document, with `Retry-After` on 429.
fn problem(status: u16, description: String) -> RefOr<utoipa::openapi::Response> {
    let description = if description.is_empty() { self::description(status).to_owned() } else { description };
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
    let mut r = ResponseBuilder::new().description(description).content("application/problem+json", content);
    if status == 429 {
        let seconds = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0));
        r = r.header(
            "Retry-After",
            HeaderBuilder::new().schema(Some(seconds)).description(Some("Seconds to wait before trying again")).build(),
        );
    }
    RefOr::T(r.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_shape() {
        let read = Shape { secured: true, path_params: true, ..Shape::default() };
        assert_eq!(standard(read), vec![401, 403, 404, 429, 500]);
        let create = Shape { secured: true, body: true, write: true, ..Shape::default() };
        assert_eq!(standard(create), vec![401, 403, 409, 413, 415, 422, 429, 500]);
        let anonymous = Shape { body: true, write: true, ..Shape::default() };
        assert_eq!(standard(anonymous), vec![409, 413, 415, 422, 429, 500]);
    }
}
