//! A deterministic scale corpus: reports in the real format (heading, statement lists,
//! numbered paragraphs, lettered recommendations, page furniture), drawing States,
//! bodies, instruments and crime types from the reference data, each written with its
//! expected extraction in the gold format of `shared/gold` (so `score.py --gold` can
//! check it). For scale only: correctness is measured on real reports.

mod render;

pub use render::{docx, pdf, wrap, Furniture};

use crate::extract::{Extractor, Target};
use crate::read::MONTHS;
use crate::reference::{EntityKind, Vocabulary};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

const ORDINALS: [&str; 8] = [
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
];
const AGENDA: [&str; 4] = [
    "Addressing and countering crime in new, emerging and evolving forms",
    "International cooperation and technical assistance to prevent and address all forms of crime",
    "Strategies to prevent crime and promote the rule of law",
    "Integrated approaches to challenges facing the criminal justice system",
];
const WORKSHOPS: [&str; 3] = [
    "strengthening data collection and analysis",
    "promoting the responsible use of technologies in crime prevention and criminal justice",
    "reducing reoffending through rehabilitation and reintegration",
];

/// Entities whose label, alone, names exactly that entity: what the generator writes is
/// then exactly what a correct extractor finds.
struct Pools {
    states: Vec<(String, String)>,
    orgs: Vec<(String, String)>,
    instruments: Vec<(String, String)>,
    crimes: Vec<(String, String)>,
    places: Vec<(String, String, String)>,
    regions: Vec<String>,
}

fn pools(vocab: &Vocabulary, x: &Extractor) -> Pools {
    let mut p = Pools {
        states: vec![],
        orgs: vec![],
        instruments: vec![],
        crimes: vec![],
        places: vec![],
        regions: vec![],
    };
    for (i, e) in vocab.entities.iter().enumerate() {
        if !e.match_names {
            continue;
        }
        let found: BTreeSet<usize> = x
            .extract(&format!("x {} x", e.label))
            .into_iter()
            .filter_map(|m| match m.target {
                Target::Known(k) => Some(k),
                Target::Minted { .. } => None,
            })
            .collect();
        let plain = !e.label.contains(['(', ';', ',', ':']) && e.label.split(' ').count() <= 8;
        let capital =
            e.kind == EntityKind::CrimeType || e.label.starts_with(|c: char| c.is_uppercase());
        if found.len() != 1 || !found.contains(&i) || !plain || !capital {
            continue;
        }
        let entry = (e.key().to_string(), e.label.clone());
        match e.kind {
            EntityKind::State => p.states.push(entry),
            EntityKind::Organization => p.orgs.push(entry),
            EntityKind::Instrument => p.instruments.push(entry),
            EntityKind::CrimeType => p.crimes.push(entry),
        }
    }
    for place in &vocab.places {
        if let (Some(city), Some(state)) = (place.names.first(), vocab.get(&place.state)) {
            if p.states.iter().any(|(k, _)| k == state.key()) {
                p.places
                    .push((city.clone(), state.label.clone(), state.key().to_string()));
            }
        }
    }
    p.regions = vocab.regions.iter().map(|r| r[0].clone()).collect();
    p
}

/// The file format gen-corpus writes reports in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    #[default]
    Txt,
    Pdf,
    Docx,
}

/// Writes `n` reports to `out/reports/` and their expected extraction to `out/expected/`;
/// returns the bytes written.
pub fn generate(
    vocab: &Vocabulary,
    x: &Extractor,
    n: usize,
    seed: u64,
    format: OutputFormat,
    out: &Path,
) -> std::io::Result<usize> {
    let p = pools(vocab, x);
    std::fs::create_dir_all(out.join("reports"))?;
    std::fs::create_dir_all(out.join("expected"))?;
    let mut bytes = 0;
    for i in 0..n {
        let mut rng = fastrand::Rng::with_seed(seed.wrapping_mul(1_000_003).wrapping_add(i as u64));
        let stem = format!("gen_{seed}_{i:07}");
        let (text, expected) = report(&p, &mut rng, &stem);
        let furniture = Furniture {
            symbol: Some(format!("A/CONF.999/RPM.{}/L.{}", 1 + i % 5, 1 + i % 3)),
            job_number: Some(format!("V.{:02}-{:05}", 30 + seed % 60, i % 100_000)),
        };
        let (file, ext) = match format {
            OutputFormat::Txt => (text.into_bytes(), "txt"),
            OutputFormat::Pdf => (pdf(&text, &furniture), "pdf"),
            OutputFormat::Docx => (docx(&text, &furniture), "docx"),
        };
        bytes += file.len();
        std::fs::File::create(out.join("reports").join(format!("{stem}.{ext}")))?
            .write_all(&file)?;
        std::fs::write(
            out.join("expected").join(format!("{stem}.json")),
            serde_json::to_vec_pretty(&expected)?,
        )?;
    }
    Ok(bytes)
}

fn pick<'a, T>(rng: &mut fastrand::Rng, v: &'a [T]) -> &'a T {
    &v[rng.usize(..v.len())]
}

fn list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

struct Para {
    number: String,
    section: &'static str,
    text: String,
    mentions: Vec<(&'static str, String)>,
}

fn report(p: &Pools, rng: &mut fastrand::Rng, stem: &str) -> (String, Value) {
    let congress = rng.u32(11..=18);
    let regional = rng.u8(..4) > 0;
    let region_index = rng.usize(..p.regions.len());
    let region = p.regions[region_index].clone();
    // One meeting, one venue and one set of dates, whichever report is of it.
    let mut venue = fastrand::Rng::with_seed(
        u64::from(congress) * 100 + if regional { region_index as u64 + 1 } else { 0 },
    );
    let (city, country, host) = pick(&mut venue, &p.places).clone();
    let month = venue.usize(..12);
    let year = 1990 + congress * 5 - 50 + venue.u32(..3);
    let day = venue.u32(1..=20);
    let ordinal = ORDINALS[(congress - 11) as usize];
    let title = if regional {
        format!("{region} Regional Preparatory Meeting for the {ordinal} United Nations Congress on Crime Prevention and Criminal Justice")
    } else {
        format!("{ordinal} United Nations Congress on Crime Prevention and Criminal Justice")
    };
    let agenda_n = rng.u32(3..=8);
    let workshop_n = rng.u32(1..=4);
    let agenda = *pick(rng, &AGENDA);
    let workshop = *pick(rng, &WORKSHOPS);

    let mut paras: Vec<Para> = Vec::new();
    let mut statements: Vec<Value> = Vec::new();
    let speakers: Vec<(String, String)> = (0..rng.usize(2..9))
        .map(|_| pick(rng, &p.states).clone())
        .collect::<Vec<_>>();
    let mut seen = BTreeSet::new();
    let speakers: Vec<(String, String)> = speakers
        .into_iter()
        .filter(|(k, _)| seen.insert(k.clone()))
        .collect();
    let names: Vec<String> = speakers.iter().map(|(_, l)| l.clone()).collect();
    let mut m1 = vec![("organizations", "un-secretariat".to_string())];
    m1.extend(speakers.iter().map(|(k, _)| ("states", k.clone())));
    statements.push(json!({"speaker": "un-secretariat", "speaker_class": "organization", "role": "secretariat", "paragraph": "1"}));
    for (k, _) in &speakers {
        statements.push(json!({"speaker": k, "speaker_class": "state", "role": "representative", "paragraph": "1"}));
    }
    paras.push(Para {
        number: "1".into(),
        section: "proceedings",
        text: format!("An introductory presentation was delivered by a representative of the Secretariat. Statements were made by the representatives of {}.", list(&names)),
        mentions: m1,
    });
    // The Secretariat introduces items; it is never an observer.
    let observers: Vec<&(String, String)> = p
        .orgs
        .iter()
        .filter(|(_, l)| !l.contains("Secretariat"))
        .collect();
    let (ok, ol) = (*pick(rng, &observers)).clone();
    statements.push(json!({"speaker": ok, "speaker_class": "organization", "role": "observer", "paragraph": "2"}));
    paras.push(Para {
        number: "2".into(),
        section: "proceedings",
        text: format!("A statement was also made by the observer for the {ol}."),
        mentions: vec![("organizations", ok)],
    });
    let n_summary = rng.usize(6..18);
    for k in 0..n_summary {
        let mut text = String::new();
        let mut mentions = Vec::new();
        for _ in 0..rng.usize(1..4) {
            match rng.u8(..5) {
                0 | 1 => {
                    let (a, al) = pick(rng, &p.crimes).clone();
                    let (b, bl) = pick(rng, &p.crimes).clone();
                    text.push_str(&format!("Several speakers highlighted the links between {al} and {bl}, and the need for integrated responses. "));
                    mentions.extend([("crime_types", a), ("crime_types", b)]);
                }
                2 => {
                    let (c, cl) = pick(rng, &p.instruments).clone();
                    text.push_str(&format!("Some speakers underlined the importance of the {cl} as a basis for international cooperation. "));
                    mentions.push(("instruments", c));
                }
                3 => {
                    let (o, olabel) = pick(rng, &p.orgs).clone();
                    text.push_str(&format!("Support provided by the {olabel} in building capacity was noted with appreciation. "));
                    mentions.push(("organizations", o));
                }
                _ => {
                    let (s, sl) = pick(rng, &p.states).clone();
                    text.push_str(&format!("A speaker described the national experience of {sl} in reviewing legislation. "));
                    mentions.push(("states", s));
                }
            }
        }
        paras.push(Para {
            number: (k + 3).to_string(),
            section: "summary",
            text: text.trim_end().to_string(),
            mentions,
        });
    }
    let chapeau = n_summary + 3;
    paras.push(Para { number: chapeau.to_string(), section: "outcome", text: "The following recommendations, which were not negotiated by the participants, were identified:".into(), mentions: vec![] });
    for (j, letter) in ('a'..='z').take(rng.usize(3..12)).enumerate() {
        let (c, cl) = pick(rng, &p.crimes).clone();
        let end = if j + 1 == 26 { "." } else { ";" };
        paras.push(Para {
            number: format!("{chapeau}({letter})"),
            section: "recommendations",
            text: format!("Strengthen international cooperation and exchange of information to prevent and counter {cl}{end}"),
            mentions: vec![("crime_types", c)],
        });
    }

    // The text, with page furniture where a page would end.
    let mut out = format!(
        "General Assembly\n\nDistr.: Limited\n{day} {} {year}\n\nEnglish only\n\n{title}\n\n{city}, {country}, {day}–{} {} {year}\n\nDraft report\n\nRapporteur: Jane Doe ({country})\n\nAddendum\n\nB. Substantive items and workshops\n\n3. {agenda} (agenda item {agenda_n}); and {workshop} (workshop {workshop_n})\n\n",
        MONTHS[month],
        day + 3,
        MONTHS[month]
    );
    for (k, para) in paras.iter().enumerate() {
        match para.number.as_str() {
            "3" => out.push_str("Summary of deliberations\n\n"),
            n if n == chapeau.to_string() => out.push_str("Outcome of deliberations\n\n"),
            _ => {}
        }
        let marker = match para.number.split_once('(') {
            Some((_, l)) => format!("({l} "),
            None => format!("{}. ", para.number),
        };
        if k % 7 == 6 {
            // A paragraph broken by a page break and its footer.
            // The last space before the middle (a space is one byte, so any char
            // boundary at or before the middle will do to search from).
            let mut middle = para.text.len() / 2;
            while !para.text.is_char_boundary(middle) {
                middle -= 1;
            }
            let cut = para.text[..middle].rfind(' ').unwrap_or(0);
            if cut > 0 && para.text[cut + 1..].starts_with(|c: char| c.is_lowercase()) {
                out.push_str(&format!(
                    "{marker}{}\n\n\nPlease recycle\n\n\n{}\n\n",
                    &para.text[..cut],
                    &para.text[cut + 1..]
                ));
                continue;
            }
        }
        out.push_str(&format!("{marker}{}\n\n", para.text));
    }
    let date = format!("{year}-{:02}-{day:02}", month + 1);
    let expected = json!({
        "document": stem,
        "meeting": {
            "title": title, "kind": if regional { "regional-preparatory-meeting" } else { "congress" },
            "congress_number": congress, "region": if regional { Value::from(region) } else { Value::Null },
            "city": city, "country": host, "start_date": date, "end_date": format!("{year}-{:02}-{:02}", month + 1, day + 3),
        },
        "document_date": date,
        "agenda_items": [{"number": agenda_n.to_string(), "title": agenda}],
        "workshops": [{"number": workshop_n.to_string(), "title": workshop}],
        "statements": statements,
        "paragraphs": paras.iter().map(|p| {
            let mut entry = json!({"number": p.number, "section": p.section, "states": [], "organizations": [], "instruments": [], "crime_types": []});
            for (class, key) in &p.mentions {
                let arr = entry[*class].as_array_mut().unwrap();
                if !arr.iter().any(|v| v == key) { arr.push(json!(key)); }
            }
            entry
        }).collect::<Vec<_>>(),
        "new_entities": [],
    });
    (out, expected)
}
