//! Monitoring and supporting resources: CloudTrail trails, log groups, KMS keys, subnets.

use warden_model::{Key, KmsKey, LogGroup, Subnet, Trail, Value, ValueKind};

use super::Builder;
use crate::resource::{Resource, blocks, document, field, non_empty, unset_if};

/// `event_selector` fields under the names CloudFormation gives them (rules read those).
const EVENT_SELECTOR: &[(&str, &str)] = &[
    ("read_write_type", "ReadWriteType"),
    ("include_management_events", "IncludeManagementEvents"),
    (
        "exclude_management_event_sources",
        "ExcludeManagementEventSources",
    ),
];
const ADVANCED_SELECTOR: &[(&str, &str)] = &[("name", "Name")];

/// Blocks nested in a selector: `data_resource` -> `DataResources`, `field_selector` ->
/// `FieldSelectors`.
struct Nested {
    block: &'static str,
    key: &'static str,
    fields: &'static [(&'static str, &'static str)],
}

const DATA_RESOURCES: Nested = Nested {
    block: "data_resource",
    key: "DataResources",
    fields: &[("type", "Type"), ("values", "Values")],
};
const FIELD_SELECTORS: Nested = Nested {
    block: "field_selector",
    key: "FieldSelectors",
    fields: FIELD_SELECTOR,
};
const FIELD_SELECTOR: &[(&str, &str)] = &[
    ("field", "Field"),
    ("equals", "Equals"),
    ("not_equals", "NotEquals"),
    ("starts_with", "StartsWith"),
    ("not_starts_with", "NotStartsWith"),
    ("ends_with", "EndsWith"),
    ("not_ends_with", "NotEndsWith"),
];

impl Builder<'_> {
    /// `aws_cloudtrail`, its selectors in the shape CloudFormation gives them (rules read that).
    pub(super) fn trail(&mut self, res: &Resource) {
        let trail = Trail {
            meta: self.meta(res),
            is_logging: res.get("enable_logging"),
            is_multi_region: res.get("is_multi_region_trail"),
            event_selectors: selectors(res, "event_selector", EVENT_SELECTOR, &DATA_RESOURCES),
            advanced_event_selectors: selectors(
                res,
                "advanced_event_selector",
                ADVANCED_SELECTOR,
                &FIELD_SELECTORS,
            ),
            kms_key: non_empty(res.get("kms_key_id")),
            log_file_validation: res.get("enable_log_file_validation"),
        };
        self.inv.trails.push(trail);
    }

    pub(super) fn log_group(&mut self, res: &Resource) {
        let group = LogGroup {
            meta: self.meta(res),
            log_group_name: res.get("name"),
            // `0` (the default plans show) keeps logs forever, as if unset.
            retention_in_days: unset_if(res.get("retention_in_days"), 0.0),
            kms_key: non_empty(res.get("kms_key_id")),
        };
        self.inv.log_groups.push(group);
    }

    pub(super) fn kms_key(&mut self, res: &Resource) {
        let key = KmsKey {
            meta: self.meta(res),
            key_policy: res.get("policy").map(document),
            enable_key_rotation: res.get("enable_key_rotation"),
        };
        self.inv.kms_keys.push(key);
    }

    pub(super) fn subnet(&mut self, res: &Resource) {
        let subnet = Subnet {
            meta: self.meta(res),
            availability_zone: res.get("availability_zone"),
        };
        self.inv.subnets.push(subnet);
    }
}

/// The selector blocks `name` of a trail as the CloudFormation list; `None` when there are none.
fn selectors(res: &Resource, name: &str, fields: &[(&str, &str)], nested: &Nested) -> Option<Value> {
    let written = res.blocks(name);
    let span = written.first().map_or(res.span, |b| b.span);
    let items: Vec<Value> = written
        .into_iter()
        .map(|block| {
            let mut selector = renamed(block, fields);
            let inner: Vec<Value> = blocks(block, nested.block)
                .into_iter()
                .map(|b| renamed(b, nested.fields))
                .collect();
            if let (Some(first), ValueKind::Map(entries)) = (inner.first(), &mut selector.kind) {
                let at = first.span;
                let key = Key {
                    name: nested.key.into(),
                    span: at,
                };
                entries.push((key, Value::new(ValueKind::List(inner), at)));
            }
            selector
        })
        .collect();
    (!items.is_empty()).then(|| Value::new(ValueKind::List(items), span))
}

/// A block with its fields renamed (keeping their spans); fields not listed are dropped, and a
/// block that is unknown (`dynamic`) stays unknown.
fn renamed(block: &Value, names: &[(&str, &str)]) -> Value {
    let Some(entries) = block.as_map() else {
        return block.clone();
    };
    let out = names
        .iter()
        .filter_map(|(from, to)| {
            let (key, _) = entries.iter().find(|(k, _)| k.name == *from)?;
            let value = field(block, from)?;
            Some((
                Key {
                    name: (*to).to_string(),
                    span: key.span,
                },
                value,
            ))
        })
        .collect();
    Value::new(ValueKind::Map(out), block.span)
}
