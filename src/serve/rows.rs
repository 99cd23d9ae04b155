//! Typed rows of the saved questions of `queries/`, one struct per question, shared by
//! the JSON answers (`api`) and the pages (`pages`): a column renamed in a `.rq` file
//! fails here, in one place, instead of leaving an empty cell.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A row that shows the labels of some of its IRIs, looked up after the query
/// (`queries::with_labels`): those of meetings and agenda items, which every report of a
/// meeting repeats, so that a query joining them over the union of all graphs would
/// read them once per report.
pub trait Labelled {
    /// The IRIs whose labels the row shows.
    fn label_iris(&self) -> Vec<&str>;
    /// Sets the row's labels from `labels` (by IRI).
    fn set_labels(&mut self, labels: &HashMap<String, String>);
}

fn label_of(iri: &Option<String>, labels: &HashMap<String, String>) -> Option<String> {
    iri.as_ref().and_then(|i| labels.get(i).cloned())
}

/// A row of `state-statements.rq` (and of `state-statement-rows.rq`, without the text):
/// one statement and the paragraph that records it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementRow {
    /// The statement.
    pub s: String,
    pub report: String,
    pub meeting: Option<String>,
    pub meeting_label: Option<String>,
    pub agenda_item: Option<String>,
    pub agenda_title: Option<String>,
    pub role: String,
    pub paragraph: String,
    /// The paragraph's text: in the JSON answer; a State's page links the paragraph
    /// instead (`state-statement-rows.rq` does not read it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Labelled for StatementRow {
    fn label_iris(&self) -> Vec<&str> {
        self.meeting
            .iter()
            .chain(&self.agenda_item)
            .map(String::as_str)
            .collect()
    }

    fn set_labels(&mut self, labels: &HashMap<String, String>) {
        self.meeting_label = label_of(&self.meeting, labels);
        self.agenda_title = label_of(&self.agenda_item, labels);
    }
}

/// A row of `state-topics.rq`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TopicRow {
    pub topic: String,
    pub topic_label: Option<String>,
    pub class: String,
    pub reports: i64,
    pub paragraphs: i64,
    pub example: Option<String>,
}

/// A row of `states-on-crime-type.rq`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpeakerRow {
    pub topic: String,
    pub state: String,
    pub state_label: String,
    pub reports: i64,
    pub paragraphs: i64,
}

/// A row of `instrument-crimes.rq`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CrimeRow {
    pub crime: String,
    pub crime_label: Option<String>,
    pub paragraphs: i64,
    pub reports: i64,
    pub example: Option<String>,
}

/// A row of `entity-evidence.rq`: one mention and its paragraph.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MentionRow {
    pub report: String,
    pub p: String,
    pub number: String,
    pub anchor: String,
    pub method: String,
    pub begin: i64,
    pub end: i64,
    pub text: String,
}

/// A row of `entity-related.rq`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RelatedRow {
    pub other: String,
    pub label: String,
    pub class: String,
    pub paragraphs: i64,
}

/// A row of `entity-trend.rq`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrendRow {
    pub congress: i64,
    pub region: String,
    pub paragraphs: i64,
}

/// A row of `meeting-reports.rq`: a report of the meeting and one statement in it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingRow {
    pub report: String,
    pub title: Option<String>,
    pub speaker: Option<String>,
    pub speaker_label: Option<String>,
    pub role: Option<String>,
    pub agenda_item: Option<String>,
    pub agenda_title: Option<String>,
}

impl Labelled for MeetingRow {
    fn label_iris(&self) -> Vec<&str> {
        self.agenda_item.iter().map(String::as_str).collect()
    }

    fn set_labels(&mut self, labels: &HashMap<String, String>) {
        self.agenda_title = label_of(&self.agenda_item, labels);
    }
}

/// A row of `matrix.rq`: one cell.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MatrixRow {
    pub state: String,
    pub crime: String,
    pub reports: i64,
}

/// A row of `overview.rq`: the collection's totals (absent in an empty store).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OverviewRow {
    #[serde(default)]
    pub reports: i64,
    #[serde(default)]
    pub meetings: i64,
    #[serde(default)]
    pub states: i64,
    #[serde(default)]
    pub statements: i64,
    #[serde(default)]
    pub mentions: i64,
    #[serde(default)]
    pub paragraphs: i64,
}

/// A row of `search.rq`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchRow {
    pub entity: String,
    pub label: String,
    pub class: String,
    pub score: i64,
}

/// A paragraph and one mention in it, as the questions that show paragraphs return
/// them (`entity-evidence`, `matrix-evidence`, `report-paragraphs`): the columns a
/// question lacks stay empty.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarkRow {
    pub p: String,
    pub report: Option<String>,
    pub meeting: Option<String>,
    pub meeting_label: Option<String>,
    pub number: String,
    pub text: String,
    pub begin: Option<i64>,
    pub end: Option<i64>,
    pub entity: Option<String>,
    pub label: Option<String>,
    pub class: Option<String>,
}

/// A row of `meetings.rq`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MeetingChoiceRow {
    pub meeting: String,
    pub label: Option<String>,
    pub congress: Option<i64>,
    pub region: Option<String>,
    pub reports: i64,
}

impl Labelled for MarkRow {
    fn label_iris(&self) -> Vec<&str> {
        self.meeting.iter().map(String::as_str).collect()
    }

    fn set_labels(&mut self, labels: &HashMap<String, String>) {
        self.meeting_label = label_of(&self.meeting, labels);
    }
}
