//! The requests to a remote store, each carrying the account if one is given, by the
//! scheme the store asks for: the first request goes without credentials, and a `401`
//! says which scheme (`WWW-Authenticate`): HTTP Basic, or HTTP Digest as Virtuoso's
//! `/sparql-auth` and `/sparql-graph-crud-auth` ask (they refuse Basic outright, with
//! no challenge, so credentials cannot be offered before the store has asked). The
//! scheme, and a Digest challenge, are kept for the requests that follow (each with
//! the next nonce count) and renewed whenever the store sends a new challenge: one
//! extra round trip per run, not per request.

use super::RemoteError;
use std::io::Read;
use std::sync::Mutex;
use std::time::Duration;
use ureq::http::{Request, Response};
use ureq::Body;

/// One request: everything it needs, so that it can be sent again with credentials.
pub(super) struct Call<'a> {
    pub method: &'static str,
    pub url: &'a str,
    /// Parameters of the query string, percent-encoded here.
    pub params: &'a [(&'a str, &'a str)],
    pub headers: &'a [(&'a str, &'a str)],
    pub body: Option<&'a [u8]>,
}

/// The agent and the account.
pub(super) struct Http {
    agent: ureq::Agent,
    account: Option<Account>,
}

struct Account {
    user: String,
    password: String,
    scheme: Mutex<Scheme>,
}

/// How the store asked for the account.
enum Scheme {
    /// Not yet: no credentials are sent.
    Unknown,
    Basic,
    /// With its last challenge.
    Digest(Box<digest_auth::WwwAuthenticateHeader>),
}

impl Http {
    pub fn new(timeout: Duration, user: Option<String>, password: Option<String>) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build()
            .into();
        let account = user.map(|user| Account {
            user,
            password: password.unwrap_or_default(),
            scheme: Mutex::new(Scheme::Unknown),
        });
        Http { agent, account }
    }

    /// Sends `call`; an answer with an error status is an error whose message is the
    /// start of its body. A transaction the store rolled back in a deadlock (SQLSTATE
    /// 40001: Virtuoso's "SR172: Transaction deadlocked", seen on a plain read while the
    /// store was busy) did nothing, so it is sent again, a few times, after a pause
    /// that doubles: what any client of a database does with a serialization failure.
    pub fn send(&self, call: &Call) -> Result<Response<Body>, RemoteError> {
        let mut pause = Duration::from_millis(100);
        for _ in 1..DEADLOCK_ATTEMPTS {
            match self.send_once(call) {
                Err(e) if is_deadlock(&e) => {
                    tracing::warn!("{e}; sent again in {} ms", pause.as_millis());
                    std::thread::sleep(pause);
                    pause *= 2;
                }
                answer => return answer,
            }
        }
        self.send_once(call)
    }

    /// Sends `call` once (twice when the store first asks for the account).
    fn send_once(&self, call: &Call) -> Result<Response<Body>, RemoteError> {
        let uri = with_params(call.url, call.params);
        let response = self.attempt(call, &uri)?;
        if response.status() == 401 && self.learn_scheme(&response) {
            return checked(call.url, self.attempt(call, &uri));
        }
        checked(call.url, Ok(response))
    }

    /// Sends `call` once, with the credentials as they stand.
    fn attempt(&self, call: &Call, uri: &str) -> Result<Response<Body>, RemoteError> {
        let unreachable = |message: String| RemoteError::Unreachable {
            url: call.url.to_string(),
            message,
        };
        let mut request = Request::builder().method(call.method).uri(uri);
        for (name, value) in call.headers {
            request = request.header(*name, *value);
        }
        if let Some(value) = self.authorization(call, uri) {
            request = request.header("Authorization", value);
        }
        let sent = match call.body {
            Some(body) => request.body(body).map(|r| self.agent.run(r)),
            None => request.body(()).map(|r| self.agent.run(r)),
        };
        sent.map_err(|e| unreachable(e.to_string()))?
            .map_err(|e| unreachable(e.to_string()))
    }

    /// The `Authorization` header for `call`, by the scheme the store asked for.
    fn authorization(&self, call: &Call, uri: &str) -> Option<String> {
        let account = self.account.as_ref()?;
        let mut scheme = account.scheme.lock().unwrap_or_else(|e| e.into_inner());
        if let Scheme::Digest(challenge) = &mut *scheme {
            // The request target as the request line has it: path and query.
            let target = uri
                .parse::<ureq::http::Uri>()
                .ok()
                .and_then(|u| u.path_and_query().map(|p| p.as_str().to_string()))
                .unwrap_or_else(|| "/".to_string());
            let context = digest_auth::AuthContext::new_with_method(
                account.user.as_str(),
                account.password.as_str(),
                target,
                call.body,
                digest_auth::HttpMethod::from(call.method),
            );
            return challenge
                .respond(&context)
                .ok()
                .map(|answer| answer.to_header_string());
        }
        if matches!(*scheme, Scheme::Unknown) {
            return None;
        }
        use base64::Engine;
        let pair = format!("{}:{}", account.user, account.password);
        let token = base64::engine::general_purpose::STANDARD.encode(pair);
        Some(format!("Basic {token}"))
    }

    /// Learns from a `401` how the store wants the account; whether the request is
    /// worth sending again (with an account, and a challenge it has not answered yet).
    fn learn_scheme(&self, response: &Response<Body>) -> bool {
        let Some(account) = &self.account else {
            return false;
        };
        let offers: Vec<&str> = response
            .headers()
            .get_all("WWW-Authenticate")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let named = |scheme: &str| {
            offers
                .iter()
                .find(|v| v.trim_start().to_ascii_lowercase().starts_with(scheme))
        };
        let mut scheme = account.scheme.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(challenge) = named("digest").and_then(|v| digest_auth::parse(v).ok()) {
            *scheme = Scheme::Digest(Box::new(challenge));
            return true;
        }
        if named("basic").is_some() && !matches!(*scheme, Scheme::Basic) {
            *scheme = Scheme::Basic;
            return true;
        }
        false
    }
}

/// `url` with `params` added to its query string, percent-encoded.
fn with_params(url: &str, params: &[(&str, &str)]) -> String {
    if params.is_empty() {
        return url.to_string();
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in params {
        query.append_pair(name, value);
    }
    let joint = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joint}{}", query.finish())
}

/// How many times a call the store rolled back in a deadlock is sent in all.
const DEADLOCK_ATTEMPTS: u32 = 5;

/// Whether the store says it rolled the transaction back in a deadlock (SQLSTATE 40001).
fn is_deadlock(error: &RemoteError) -> bool {
    match error {
        RemoteError::Status {
            status, message, ..
        } => *status >= 500 && (message.contains("40001") || message.contains("deadlock")),
        _ => false,
    }
}

/// Checks a response's status; the body of an error, cut short, says why.
pub(super) fn checked(
    url: &str,
    response: Result<Response<Body>, RemoteError>,
) -> Result<Response<Body>, RemoteError> {
    let mut response = response?;
    let status = response.status().as_u16();
    if status < 300 {
        return Ok(response);
    }
    let mut message = String::new();
    let _ = response
        .body_mut()
        .as_reader()
        .take(2_000)
        .read_to_string(&mut message);
    Err(RemoteError::Status {
        url: url.to_string(),
        status,
        message: message.trim().to_string(),
    })
}

/// A form body (`application/x-www-form-urlencoded`).
pub(super) fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut body = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        body.append_pair(name, value);
    }
    body.finish().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadlock_is_told_apart_from_other_errors() {
        let status = |status, message: &str| RemoteError::Status {
            url: "http://store/sparql".into(),
            status,
            message: message.into(),
        };
        assert!(is_deadlock(&status(
            500,
            "Virtuoso 40001 Error SR172: Transaction deadlocked"
        )));
        assert!(!is_deadlock(&status(
            500,
            "Virtuoso 37000 Error SP030: syntax error"
        )));
        assert!(!is_deadlock(&status(400, "40001")));
    }

    #[test]
    fn parameters_are_percent_encoded() {
        let url = with_params("http://h/store", &[("graph", "http://x/g?a=b&c")]);
        assert_eq!(url, "http://h/store?graph=http%3A%2F%2Fx%2Fg%3Fa%3Db%26c");
        assert_eq!(
            with_params("http://h/s?x=1", &[("default", "")]),
            "http://h/s?x=1&default="
        );
    }
}
