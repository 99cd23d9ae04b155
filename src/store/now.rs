//! The current time every SPARQL query's `NOW()` is built from, as oxsdatatypes asks
//! for it with its `custom-now` feature.
//!
//! Why: spareval builds each query's `NOW()` before it runs the query, by adding the
//! seconds since 1970 to 1970-01-01 the way XML Schema adds a duration, which walks the
//! calendar a month at a time: some 680 months today, 12-14% of the server's CPU on a
//! cheap question such as `ASK {}` (BENCHMARKS.md). Given as the whole months since 1970
//! plus the seconds since the current month began, the same instant comes out of a
//! single month's step.

use chrono::{Datelike, TimeZone, Utc};
use oxsdatatypes::{Decimal, Duration};

/// Called by oxsdatatypes' `DateTime::now()`; see the module doc.
#[unsafe(no_mangle)]
fn custom_ox_now() -> Duration {
    since_epoch_by_month(std::time::SystemTime::now().into())
}

/// `now` as a duration from 1970-01-01T00:00:00Z: months, then seconds within the
/// month. A clock before 1970 (a duration with months of one sign and seconds of the
/// other) falls back to the seconds alone, oxsdatatypes' own form.
fn since_epoch_by_month(now: chrono::DateTime<Utc>) -> Duration {
    let months = i64::from(now.year() - 1970) * 12 + i64::from(now.month0());
    let month_start = Utc
        .with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0)
        .single();
    let by_month = month_start.and_then(|start| {
        let nanos = (now - start).num_nanoseconds()?;
        Duration::new(months, Decimal::new(i128::from(nanos), 9).ok()?).ok()
    });
    by_month.unwrap_or_else(|| {
        let nanos =
            i128::from(now.timestamp()) * 1_000_000_000 + i128::from(now.timestamp_subsec_nanos());
        Decimal::new(nanos, 9)
            .ok()
            .and_then(|s| Duration::new(0, s).ok())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxsdatatypes::DateTime;
    use std::str::FromStr;

    /// The duration by month lands on the very instant, at the edges of months, of a
    /// leap day and of a year, to the nanosecond; and before 1970 too.
    #[test]
    fn months_and_seconds_land_on_the_same_instant() {
        let epoch = DateTime::from_str("1970-01-01T00:00:00Z").unwrap();
        for text in [
            "2026-12-07T04:19:39.123456789Z",
            "2024-02-29T23:59:59.999999999Z",
            "2024-03-01T00:00:00Z",
            "2025-12-31T23:59:59.5Z",
            "2026-01-01T00:00:00Z",
            "1970-01-01T00:00:00.000000001Z",
            "1969-07-20T20:17:40Z",
        ] {
            let instant: chrono::DateTime<Utc> = text.parse().unwrap();
            let got = epoch
                .checked_add_duration(since_epoch_by_month(instant))
                .unwrap();
            assert_eq!(got, DateTime::from_str(text).unwrap(), "{text}");
        }
    }
}
