//! One HTTP client for GitHub's GraphQL endpoint: a token, timeouts, bounded retries with
//! backoff, and GitHub's rate limits respected (its `retry-after` and `x-ratelimit-*` headers).

use std::fmt;
use std::thread::sleep;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::Error;

/// GitHub's public endpoint; `GITHUB_GRAPHQL_URL` points elsewhere (GitHub Enterprise, tests).
pub const DEFAULT_ENDPOINT: &str = "https://api.github.com/graphql";

/// Tries per request: a failure that may pass (a dropped connection, a 5xx, a secondary rate
/// limit) is tried again twice, then reported.
const ATTEMPTS: u32 = 3;

/// The longest wait the client accepts before a retry; GitHub asking for more (a rate limit
/// that resets in an hour) fails the request instead, and the next daily run picks up.
const MAX_WAIT: Duration = Duration::from_secs(60);

/// The first backoff when GitHub gives no `retry-after`; it doubles at each retry.
const BACKOFF: Duration = Duration::from_secs(1);

/// Whole-request timeout: GitHub answers these queries in well under a second.
const TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where and as whom to ask, from the environment.
#[derive(Clone)]
pub struct Config {
    pub endpoint: String,
    token: String,
    pub backoff: Duration,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the token.
        f.debug_struct("Config")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// `GITHUB_TOKEN` (else `GH_TOKEN`), `GITHUB_GRAPHQL_URL` and `GROUPDIR_SYNC_BACKOFF_MS`.
    pub fn from_env() -> Result<Config, Error> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let token = var("GITHUB_TOKEN")
            .or_else(|| var("GH_TOKEN"))
            .ok_or_else(|| {
                Error::Usage(
                    "no GitHub token: set GITHUB_TOKEN or GH_TOKEN (a token with no scopes reads \
                 public repositories; in a workflow, GITHUB_TOKEN is given)"
                        .to_string(),
                )
            })?;
        let endpoint = check_endpoint(
            &var("GITHUB_GRAPHQL_URL").unwrap_or_else(|| DEFAULT_ENDPOINT.to_string()),
        )?;
        let backoff = match var("GROUPDIR_SYNC_BACKOFF_MS") {
            Some(ms) => Duration::from_millis(ms.trim().parse().map_err(|_| {
                Error::Usage(format!(
                    "GROUPDIR_SYNC_BACKOFF_MS is `{ms}`, expected a number of milliseconds"
                ))
            })?),
            None => BACKOFF,
        };
        Ok(Config {
            endpoint,
            token: token.trim().to_string(),
            backoff,
        })
    }
}

/// An endpoint the token may be sent to, parsed as a URL: https, or plain http to this machine
/// only (a test server), so that no typo sends the token across a network in clear; never with a
/// user name or password in it, which would end up in logs and whose `@` hides the real host.
/// Returns the address as the client will use it.
fn check_endpoint(endpoint: &str) -> Result<String, Error> {
    let refuse = |why: &str| {
        Error::Usage(format!(
            "GITHUB_GRAPHQL_URL is `{}`: {why}",
            without_credentials(endpoint)
        ))
    };
    let url = url::Url::parse(endpoint.trim())
        .map_err(|e| refuse(&format!("not a web address ({e}); write https://host/path")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(
            "it has a user name or password before an `@`; the token goes in GITHUB_TOKEN, \
             write the address without them",
        ));
    }
    let local = match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url.to_string()),
        "http" if local => Ok(url.to_string()),
        "http" => Err(refuse(
            "use https://, the token must not travel in clear (plain http only to this machine)",
        )),
        _ => Err(refuse("not an https:// address")),
    }
}

/// `address` for a message: without what stands before an `@` in its authority, where a user
/// name and password would be.
pub fn without_credentials(address: &str) -> String {
    if let Ok(mut url) = url::Url::parse(address.trim())
        && url.set_username("").is_ok()
        && url.set_password(None).is_ok()
    {
        return url.to_string();
    }
    let (scheme, rest) = address.split_once("://").unwrap_or(("", address));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) if scheme.is_empty() => rest[at + 1..].to_string(),
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => address.to_string(),
    }
}

/// Why a request failed, after its retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer: the connection failed, timed out or closed before the whole answer came.
    Network(String),
    /// GitHub refused the token (401) or the request (403 without a rate limit).
    Refused { status: u16, message: String },
    /// A rate limit that will not reset within the wait the client accepts.
    RateLimited(String),
    /// An answer that is not GitHub's JSON: a 5xx, an HTML page, a cut-off body.
    BadAnswer { status: u16, what: String },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Network(why) => write!(f, "no answer from GitHub: {why}"),
            Failure::Refused {
                status: 401,
                message,
            } => write!(
                f,
                "GitHub refused the token (401 {message}): check GITHUB_TOKEN or GH_TOKEN"
            ),
            Failure::Refused { status, message } => {
                write!(f, "GitHub refused the request ({status} {message})")
            }
            Failure::RateLimited(why) => write!(f, "GitHub's rate limit: {why}"),
            Failure::BadAnswer { status, what } => {
                write!(f, "GitHub answered {status} with {what}")
            }
        }
    }
}

/// What one attempt came to.
enum Attempt {
    Answered(Value),
    /// Worth trying again, after GitHub's `retry-after` or else the backoff.
    Retry(Failure, Option<Duration>),
    Failed(Failure),
}

/// A client for one sync: it counts its requests, for the report.
pub struct Client {
    agent: ureq::Agent,
    config: Config,
    requests: usize,
}

impl Client {
    pub fn new(config: Config) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .timeout_connect(Some(CONNECT_TIMEOUT))
            // 4xx and 5xx answers are read, not turned into errors: their headers and bodies
            // say what to do (retry-after, rate-limit reset, the message).
            .http_status_as_error(false)
            .user_agent(concat!("groupdir/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client {
            agent,
            config,
            requests: 0,
        }
    }

    /// HTTP requests made so far, retries included.
    pub fn requests(&self) -> usize {
        self.requests
    }

    /// POSTs a GraphQL request and returns GitHub's JSON answer, trying again what may pass.
    pub fn post(&mut self, body: &Value) -> Result<Value, Failure> {
        let body = body.to_string();
        let mut attempt = 1;
        loop {
            let (failure, wait) = match self.attempt(&body) {
                Attempt::Answered(json) => return Ok(json),
                Attempt::Failed(failure) => return Err(failure),
                Attempt::Retry(failure, wait) => (failure, wait),
            };
            if attempt == ATTEMPTS {
                return Err(failure);
            }
            let wait = wait.unwrap_or(self.config.backoff * 2u32.pow(attempt - 1));
            if wait > MAX_WAIT {
                return Err(Failure::RateLimited(format!(
                    "{failure}; GitHub asks to wait {} s, longer than {} s: run sync again later",
                    wait.as_secs(),
                    MAX_WAIT.as_secs()
                )));
            }
            sleep(wait);
            attempt += 1;
        }
    }

    fn attempt(&mut self, body: &str) -> Attempt {
        self.requests += 1;
        let sent = self
            .agent
            .post(&self.config.endpoint)
            .header("Authorization", &format!("bearer {}", self.config.token))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .send(body);
        let mut response = match sent {
            Ok(response) => response,
            Err(e) => return Attempt::Retry(Failure::Network(e.to_string()), None),
        };
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_string())
        };
        let retry_after = header("retry-after").and_then(|s| s.parse::<u64>().ok());
        let limit_left = header("x-ratelimit-remaining").and_then(|s| s.parse::<u64>().ok());
        let reset = header("x-ratelimit-reset").and_then(|s| s.parse::<u64>().ok());
        let content_type = header("content-type").unwrap_or_default();
        let text = match response.body_mut().read_to_string() {
            Ok(text) => text,
            Err(e) => {
                let why = format!("the connection closed before the whole answer came ({e})");
                return Attempt::Retry(Failure::Network(why), None);
            }
        };
        let json = serde_json::from_str::<Value>(&text).ok();
        let message = json
            .as_ref()
            .and_then(|j| j.get("message"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let until_reset = reset.map(|r| Duration::from_secs(r.saturating_sub(now_epoch())));
        match (status, json) {
            (200, Some(json)) if rate_limited(&json) => Attempt::Retry(
                Failure::RateLimited(format!("used up until {}", reset_time(reset))),
                Some(until_reset.unwrap_or(MAX_WAIT + Duration::from_secs(1))),
            ),
            (200, Some(json)) => Attempt::Answered(json),
            (401, _) => Attempt::Failed(Failure::Refused { status, message }),
            (403 | 429, _) if retry_after.is_some() => Attempt::Retry(
                Failure::RateLimited(format!("secondary limit ({status} {message})")),
                retry_after.map(Duration::from_secs),
            ),
            (403 | 429, _) if limit_left == Some(0) => Attempt::Retry(
                Failure::RateLimited(format!("used up until {}", reset_time(reset))),
                Some(until_reset.unwrap_or(MAX_WAIT + Duration::from_secs(1))),
            ),
            (403, _) => Attempt::Failed(Failure::Refused { status, message }),
            (status, json) => {
                let what = match json {
                    Some(_) if message.is_empty() => {
                        "JSON that is not a GraphQL answer".to_string()
                    }
                    Some(_) => format!("\"{message}\""),
                    None if content_type.contains("html") => "an HTML page, not JSON".to_string(),
                    None if text.is_empty() => "an empty body".to_string(),
                    None => "a body that is not JSON (cut off?)".to_string(),
                };
                let failure = Failure::BadAnswer { status, what };
                if status >= 500 || status == 200 {
                    Attempt::Retry(failure, retry_after.map(Duration::from_secs))
                } else {
                    Attempt::Failed(failure)
                }
            }
        }
    }
}

/// GitHub reports a used-up primary rate limit in a 200 answer's `errors`.
fn rate_limited(json: &Value) -> bool {
    json.get("errors")
        .and_then(Value::as_array)
        .is_some_and(|errors| {
            errors
                .iter()
                .any(|e| e.get("type").and_then(Value::as_str) == Some("RATE_LIMITED"))
        })
}

fn now_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `x-ratelimit-reset` (seconds since 1970) as a UTC time, for messages.
fn reset_time(reset: Option<u64>) -> String {
    reset
        .and_then(|r| chrono::DateTime::from_timestamp(i64::try_from(r).ok()?, 0))
        .map_or_else(
            || "GitHub's next reset".to_string(),
            |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_goes_over_https_or_to_this_machine_only() {
        for ok in [
            "https://api.github.com/graphql",
            "https://github.example.com/api/graphql",
            "http://127.0.0.1:8080/graphql",
            "http://localhost/graphql",
            "http://[::1]:9/graphql",
        ] {
            assert!(check_endpoint(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.github.com/graphql",
            "http://127.0.0.1.evil.example/graphql",
            "http://127.0.0.1:1@example.org/graphql",
            "http://localhost@example.org/graphql",
            "https://user:secret@api.github.com/graphql",
            "http://127.0.0.2.nip.io/graphql",
            "ftp://x",
            "api.github.com",
        ] {
            let refused = check_endpoint(bad).unwrap_err().to_string();
            assert!(
                !refused.contains("secret") && !refused.contains(":1@"),
                "{refused}"
            );
        }
    }

    #[test]
    fn addresses_are_shown_without_credentials() {
        assert_eq!(
            without_credentials("http://127.0.0.1:1@example.org/graphql"),
            "http://example.org/graphql"
        );
        assert_eq!(without_credentials("https://u:p@h/x?y"), "https://h/x?y");
        assert_eq!(without_credentials("u:p@h/x"), "h/x");
        assert_eq!(
            without_credentials("https://api.github.com/graphql"),
            "https://api.github.com/graphql"
        );
    }
}
