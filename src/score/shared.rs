//! What the `score` documents of both methods share: JSON objects keyed by hypothesis id
//! ([`HypMap`]) and the basic fields of an item ([`ItemBasics`]).

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::case::{Case, Credibility};

/// A JSON object keyed by hypothesis id, in declaration order (docs/reference.md §9).
#[derive(Debug, Clone, PartialEq)]
pub struct HypMap<T>(pub Vec<(String, T)>);

impl<T: Serialize> Serialize for HypMap<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// The fields of an item shared by the `score` documents of both methods.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ItemBasics {
    /// Item id.
    pub id: String,
    /// `observed`, `absent`, `pending` or `retracted`.
    pub status: &'static str,
    /// w_e as written.
    pub weight: f64,
    /// The mixture credibility c_e, `null` for an item given a hit and false-alarm rate.
    pub credibility: Option<f64>,
    /// Schum's hit rate h_e (only for such items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hit_rate: Option<f64>,
    /// Schum's false-alarm rate f_e (only for such items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub false_alarm_rate: Option<f64>,
}

impl ItemBasics {
    /// The basics of item `e`.
    pub fn of(case: &Case, e: usize) -> ItemBasics {
        let item = &case.evidence[e];
        let (hit_rate, false_alarm_rate) = match item.credibility {
            Credibility::Schum {
                hit_rate,
                false_alarm_rate,
            } => (Some(hit_rate), Some(false_alarm_rate)),
            Credibility::Mixture { .. } => (None, None),
        };
        ItemBasics {
            id: item.id.clone(),
            status: item.status.as_str(),
            weight: item.weight,
            credibility: item.credibility.value(),
            hit_rate,
            false_alarm_rate,
        }
    }
}
