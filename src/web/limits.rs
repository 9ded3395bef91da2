//! Rate limits: a token bucket per API token or browser session, and one per network address,
//! so one runaway script can't starve everyone. Kept in this process's memory (each instance
//! counts its own share) in sharded maps that forget idle clients. Over the limit a request
//! gets `429` with `Retry-After` (problem+json under `/api`, a page otherwise).

use std::{
    collections::HashMap,
    hash::{BuildHasher, Hash, Hasher},
    sync::Mutex,
    time::Instant,
};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::header,
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{
    AppState,
    auth::{bearer_of, session_cookie},
    config::RateLimits,
    error::{AppError, Msg},
    i18n::cookie,
};

const SHARDS: usize = 16;
/// A shard forgets its full (idle) buckets when it holds more than this many.
const PRUNE_AT: usize = 4096;

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

pub struct Limiter {
    limits: RateLimits,
    hasher: std::collections::hash_map::RandomState,
    shards: Vec<Mutex<HashMap<u64, Bucket>>>,
}

impl Limiter {
    pub fn new(limits: RateLimits) -> Self {
        Self {
            limits,
            hasher: std::collections::hash_map::RandomState::new(),
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    fn key(&self, kind: &str, value: &str) -> u64 {
        let mut h = self.hasher.build_hasher();
        kind.hash(&mut h);
        value.hash(&mut h);
        h.finish()
    }

    /// Takes one request from the bucket of `key`; `Err(seconds)` to wait when it is empty.
    fn take(&self, key: u64, per_second: u32, burst: u32, now: Instant) -> Result<(), u64> {
        if per_second == 0 {
            return Ok(());
        }
        let rate = f64::from(per_second);
        let capacity = f64::from(burst.max(1));
        let shard = &self.shards[(key as usize) % SHARDS];
        let mut map = shard.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() > PRUNE_AT {
            map.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < capacity);
        }
        let b = map.entry(key).or_insert(Bucket { tokens: capacity, at: now });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * rate).min(capacity);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) / rate).ceil().max(1.0) as u64)
        }
    }

    /// Checks one request of a client (token or session, when it has one) from an address.
    pub fn check(&self, client: Option<&str>, address: &str, now: Instant) -> Result<(), u64> {
        let l = self.limits;
        if let Some(c) = client {
            self.take(self.key("client", c), l.client_per_second, l.client_burst, now)?;
        }
        self.take(self.key("address", address), l.address_per_second, l.address_burst, now)
    }
}

fn exempt(path: &str) -> bool {
    ["/static/", "/healthz", "/readyz"].iter().any(|p| path.starts_with(p))
}

pub async fn enforce(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if exempt(req.uri().path()) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let client = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_of)
        .map(str::to_owned)
        .or_else(|| cookie(headers, session_cookie(&state.config)));
    let peer = req.extensions().get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    let address = crate::web::client_ip::resolve(peer, headers, &state.config.trusted_proxies);
    if let Err(wait) = state.limiter.check(client.as_deref(), &address, Instant::now()) {
        metrics::counter!("http_rate_limited_total").increment(1);
        return AppError::TooManyRequests { retry_after_secs: wait, msg: Msg::new("error-rate-limited") }
            .into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_bucket_empties_refills_and_keeps_clients_apart() {
        let limits = RateLimits { client_per_second: 2, client_burst: 3, address_per_second: 0, address_burst: 0 };
        let l = Limiter::new(limits);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(l.check(Some("a"), "x", t0), Ok(()));
        }
        assert_eq!(l.check(Some("a"), "x", t0), Err(1));
        assert_eq!(l.check(Some("b"), "x", t0), Ok(()), "another client has its own bucket");
        assert_eq!(l.check(Some("a"), "x", t0 + Duration::from_millis(500)), Ok(()), "half a second refills one");
        assert_eq!(l.check(Some("a"), "x", t0 + Duration::from_millis(500)), Err(1));
    }

    #[test]
    fn an_address_is_limited_whatever_client_it_claims() {
        let limits = RateLimits { client_per_second: 0, client_burst: 0, address_per_second: 1, address_burst: 2 };
        let l = Limiter::new(limits);
        let t0 = Instant::now();
        assert_eq!(l.check(Some("a"), "10.0.0.1", t0), Ok(()));
        assert_eq!(l.check(Some("b"), "10.0.0.1", t0), Ok(()));
        assert!(l.check(None, "10.0.0.1", t0).is_err());
        assert_eq!(l.check(None, "10.0.0.2", t0), Ok(()));
    }

    #[test]
    fn idle_buckets_are_forgotten() {
        let limits = RateLimits { client_per_second: 100, client_burst: 1, address_per_second: 0, address_burst: 0 };
        let l = Limiter::new(limits);
        let t0 = Instant::now();
        for i in 0..(PRUNE_AT * SHARDS * 2) {
            let _ = l.check(Some(&i.to_string()), "x", t0 + Duration::from_millis(i as u64));
        }
        let held: usize = l.shards.iter().map(|s| s.lock().map(|m| m.len()).unwrap_or(0)).sum();
        assert!(held <= (PRUNE_AT + 1) * SHARDS, "{held} buckets held");
    }
}
