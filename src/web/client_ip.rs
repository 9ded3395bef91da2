//! Who is on the other end: the peer address, or — when the peer is one of the operator's
//! `trusted_proxies` — the nearest address the proxies name in `Forwarded` or
//! `X-Forwarded-For` that is not itself a trusted proxy. Headers from anyone else are ignored,
//! so a client can't pick the address its sign-in failures and rate limits are counted under.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, request::Parts},
};

use crate::AppState;

/// The client's network address (as text), for throttling and rate limits.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        Ok(Self(resolve(peer, &parts.headers, &state.config.trusted_proxies)))
    }
}

/// The client address of a request whose peer is `peer` (`None` in-process: "local").
pub fn resolve(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[ipnet::IpNet]) -> String {
    let Some(peer) = peer else { return "local".to_owned() };
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer.to_string();
    }
    // Nearest hop last: walk back from the proxy that reached us.
    let hops = forwarded_for(headers);
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if is_trusted(&ip) => continue,
            Ok(ip) => return ip.to_string(),
            // An obfuscated or unknown node named by a trusted proxy: as specific as we get.
            Err(_) => return hop.clone(),
        }
    }
    hops.first().cloned().unwrap_or_else(|| peer.to_string())
}

/// The `for=` nodes of `Forwarded` (RFC 7239) or else the `X-Forwarded-For` list, in order.
fn forwarded_for(headers: &HeaderMap) -> Vec<String> {
    let forwarded: Vec<String> = headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.trim().split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| node(v.trim().trim_matches('"')))
            })
        })
        .collect();
    if !forwarded.is_empty() {
        return forwarded;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| node(s.trim()))
        .filter(|s| !s.is_empty())
        .collect()
}

/// An address without its port: `[2001:db8::1]:4711` → `2001:db8::1`, `192.0.2.1:80` → `192.0.2.1`.
fn node(raw: &str) -> String {
    if let Some(rest) = raw.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest).to_owned();
    }
    match raw.rsplit_once(':') {
        // One colon: an IPv4 address (or name) with a port. More: a bare IPv6 address.
        Some((host, _)) if !host.contains(':') => host.to_owned(),
        _ => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().expect("header"));
        }
        h
    }

    fn nets(list: &[&str]) -> Vec<ipnet::IpNet> {
        list.iter().map(|s| s.parse().expect("net")).collect()
    }

    #[test]
    fn untrusted_peers_are_taken_at_their_word_not_their_headers() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=5.6.7.8")]);
        let peer = Some("203.0.113.9".parse().expect("ip"));
        assert_eq!(resolve(peer, &h, &nets(&["10.0.0.0/8"])), "203.0.113.9");
        assert_eq!(resolve(peer, &h, &[]), "203.0.113.9");
    }

    #[test]
    fn trusted_hops_are_skipped_from_the_nearest_end() {
        let peer = Some("10.0.0.2".parse().expect("ip"));
        let trusted = nets(&["10.0.0.0/8"]);
        // The client can prepend anything; the proxy appends what it saw.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.0.0.1")]);
        assert_eq!(resolve(peer, &h, &trusted), "198.51.100.7");
        let h = headers(&[("forwarded", "for=\"[2001:db8::7]:4711\";proto=https, for=10.0.0.1")]);
        assert_eq!(resolve(peer, &h, &trusted), "2001:db8::7");
        let h = headers(&[("forwarded", "for=192.0.2.60:8080")]);
        assert_eq!(resolve(peer, &h, &trusted), "192.0.2.60");
        assert_eq!(resolve(peer, &HeaderMap::new(), &trusted), "10.0.0.2");
        assert_eq!(resolve(None, &h, &trusted), "local");
    }
}
