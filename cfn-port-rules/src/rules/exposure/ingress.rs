//! Reading an ingress rule's values: its protocol, its port range, and
//! whether its ranges are the whole internet.

use std::net::IpAddr;

use crate::eval::{Possibility, Unknown, Value, parse_int};

/// What an ingress rule admits traffic from: an IPv4 range, an IPv6 range
/// or a managed prefix list.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum PeerKind {
    Ipv4,
    Ipv6,
    PrefixList,
}

/// Whether a CIDR value (or list of them) is, or may be, the whole
/// internet; a prefix list's ranges are never in view.
pub(super) fn may_admit_everyone(value: &Value, kind: PeerKind) -> bool {
    match value {
        Value::Absent | Value::Null => false,
        _ if kind == PeerKind::PrefixList => true,
        Value::Unknown(_) => true,
        Value::List(items) => items.iter().any(|item| may_admit_everyone(item, kind)),
        Value::String(text) => is_everyone(text),
        _ => false,
    }
}

/// Whether `text` is a CIDR block with prefix length 0 (`0.0.0.0/0`,
/// `::/0`, `::0/0`): every address of its family.
pub(super) fn is_everyone(text: &str) -> bool {
    let Some((address, length)) = text.trim().split_once('/') else {
        return false;
    };
    length == "0" && address.parse::<IpAddr>().is_ok()
}

/// The whole-internet range in a CIDR value, as written.
pub(super) fn everyone_in(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if is_everyone(text) => Some(text.trim().to_owned()),
        Value::List(items) => items.iter().find_map(everyone_in),
        _ => None,
    }
}

/// The first unknown item of a list of ranges, at any depth.
pub(super) fn unknown_item(value: &Value) -> Option<&Unknown> {
    match value {
        Value::Unknown(unknown) => Some(unknown),
        Value::List(items) => items.iter().find_map(unknown_item),
        _ => None,
    }
}

/// An ingress rule's protocol, as it bears on a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Protocol {
    /// `-1`, `all`: every protocol and port.
    All,
    Tcp,
    Udp,
    /// Another protocol (ICMP, ...): no port of a cache or database.
    Other,
}

impl Protocol {
    pub(super) fn read(value: &Value) -> Result<Option<Protocol>, ()> {
        let text = match value {
            Value::String(text) | Value::Number(text) => text.trim().to_ascii_lowercase(),
            Value::Absent => return Ok(None),
            Value::Unknown(_) => return Err(()),
            _ => return Ok(Some(Protocol::Other)),
        };
        Ok(Some(match text.as_str() {
            "-1" | "all" => Protocol::All,
            "tcp" | "6" => Protocol::Tcp,
            "udp" | "17" => Protocol::Udp,
            _ => Protocol::Other,
        }))
    }

    pub(super) fn words(self) -> &'static str {
        match self {
            Protocol::All => "every protocol",
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Other => "another protocol",
        }
    }
}

/// The port range of a TCP or UDP rule: `-1` at either end means every
/// port, an unwritten range none (the service rejects a TCP or UDP rule
/// without one). `Err` holds the value that cannot be read.
pub(super) fn port_range<'a>(
    from: &'a Possibility,
    to: &'a Possibility,
) -> Result<Option<(i128, i128)>, &'a Possibility> {
    let read = |p: &'a Possibility| match &p.value {
        Value::Absent => Ok(None),
        Value::Number(text) | Value::String(text) => parse_int(text.trim()).map(Some).ok_or(p),
        _ => Err(p),
    };
    let (from, to) = (read(from)?, read(to)?);
    Ok(match (from, to) {
        (Some(-1), _) | (_, Some(-1)) => Some((0, 65535)),
        (Some(from), Some(to)) => Some((from, to)),
        (Some(port), None) | (None, Some(port)) => Some((port, port)),
        (None, None) => None,
    })
}
