//! Comparing two versions of a requirement set: items added, removed and changed (field by
//! field, with a line diff of the description).

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use super::versions::{FrozenItem, FrozenSet};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = RequirementDiffLine)]
pub struct DiffLine {
    /// equal | insert | delete
    pub op: &'static str,
    pub text: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChangedItem {
    pub key: String,
    pub title: String,
    pub fields: Vec<FieldChange>,
    /// The description line by line; empty when it did not change.
    pub description_diff: Vec<DiffLine>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = RequirementComparison)]
pub struct Comparison {
    pub from_number: i32,
    pub to_number: i32,
    pub added: Vec<FrozenItem>,
    pub removed: Vec<FrozenItem>,
    pub changed: Vec<ChangedItem>,
    pub unchanged: usize,
}

pub fn compare(from: &FrozenSet, to: &FrozenSet) -> Comparison {
    let find = |set: &FrozenSet, key: &str| set.items.iter().find(|i| i.key == key).cloned();
    let added = to.items.iter().filter(|i| find(from, &i.key).is_none()).cloned().collect();
    let removed = from.items.iter().filter(|i| find(to, &i.key).is_none()).cloned().collect();
    let mut changed = Vec::new();
    let mut unchanged = 0;
    for after in &to.items {
        let Some(before) = find(from, &after.key) else { continue };
        if before == *after {
            unchanged += 1;
            continue;
        }
        let mut fields = Vec::new();
        let mut field = |name: &'static str, b: String, a: String| {
            if b != a {
                fields.push(FieldChange { field: name, before: b, after: a });
            }
        };
        field("title", before.title.clone(), after.title.clone());
        field("kind", before.kind.clone(), after.kind.clone());
        field("priority", before.priority.clone(), after.priority.clone());
        field("parent", before.parent_key.clone().unwrap_or_default(), after.parent_key.clone().unwrap_or_default());
        field("acceptance_criteria", before.acceptance_criteria.join("\n"), after.acceptance_criteria.join("\n"));
        let description_diff = if before.description == after.description {
            Vec::new()
        } else {
            lines(&before.description, &after.description)
        };
        changed.push(ChangedItem { key: after.key.clone(), title: after.title.clone(), fields, description_diff });
    }
    Comparison { from_number: from.number, to_number: to.number, added, removed, changed, unchanged }
}

/// A line diff of two texts.
pub fn lines(before: &str, after: &str) -> Vec<DiffLine> {
    TextDiff::from_lines(before, after)
        .iter_all_changes()
        .map(|c| DiffLine {
            op: match c.tag() {
                ChangeTag::Equal => "equal",
                ChangeTag::Insert => "insert",
                ChangeTag::Delete => "delete",
            },
            text: c.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str, title: &str, description: &str) -> FrozenItem {
        FrozenItem {
            key: key.into(),
            title: title.into(),
            description: description.into(),
            kind: "functional".into(),
            priority: "must".into(),
            acceptance_criteria: vec!["可以登录".into()],
            parent_key: None,
        }
    }

    #[test]
    fn added_removed_and_changed_items_are_told_apart() {
        let from = FrozenSet {
            engagement_id: 1,
            number: 1,
            items: vec![item("REQ-001", "登录", "手机号登录\n短信验证"), item("REQ-002", "报表", "")],
        };
        let to = FrozenSet {
            engagement_id: 1,
            number: 2,
            items: vec![item("REQ-001", "登录与注册", "手机号登录\n微信登录"), item("REQ-003", "导出", "")],
        };
        let c = compare(&from, &to);
        assert_eq!(c.added.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["REQ-003"]);
        assert_eq!(c.removed.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["REQ-002"]);
        assert_eq!(c.changed.len(), 1);
        let ch = &c.changed[0];
        assert_eq!(ch.fields.iter().map(|f| f.field).collect::<Vec<_>>(), ["title"]);
        let ops: Vec<(&str, &str)> = ch.description_diff.iter().map(|l| (l.op, l.text.as_str())).collect();
        assert_eq!(ops, [("equal", "手机号登录"), ("delete", "短信验证"), ("insert", "微信登录")]);
        assert_eq!(c.unchanged, 0);
    }
}
