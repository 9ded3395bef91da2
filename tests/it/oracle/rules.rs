//! The rules of the product the oracle enforces, as data in one place: who the eleven roles
//! are, and which audience may learn each kind of secret (record markers, party names and
//! people, prices, bank details). Everything else in the oracle only asks `admits`.

/// The parties of the seed: the host, vendor A (云帆 Yunfan), vendor B (数智 Shuzhi) and the
/// client (华东物流 East China Logistics). All four take part in the oracle's engagement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Party {
    Host,
    A,
    B,
    C,
}

/// The columns of the sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Anonymous,
    HostAdmin,
    HostPm,
    HostMember,
    HostApprover,
    AManager,
    AMember,
    BManager,
    BMember,
    CManager,
    CMember,
}

pub const ROLES: [Role; 11] = [
    Role::Anonymous,
    Role::HostAdmin,
    Role::HostPm,
    Role::HostMember,
    Role::HostApprover,
    Role::AManager,
    Role::AMember,
    Role::BManager,
    Role::BMember,
    Role::CManager,
    Role::CMember,
];

impl Role {
    pub fn email(self) -> Option<&'static str> {
        Some(match self {
            Role::Anonymous => return None,
            Role::HostAdmin => "admin@xinghe.example",
            Role::HostPm => "pm@xinghe.example",
            Role::HostMember => "member@xinghe.example",
            Role::HostApprover => "approver@xinghe.example",
            Role::AManager => "manager@yunfan.example",
            Role::AMember => "dev@yunfan.example",
            Role::BManager => "manager@shuzhi.example",
            Role::BMember => "qa@shuzhi.example",
            Role::CManager => "manager@hdlogistics.example",
            Role::CMember => "member@hdlogistics.example",
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Anonymous => "anonymous",
            Role::HostAdmin => "host admin",
            Role::HostPm => "host pm",
            Role::HostMember => "host member",
            Role::HostApprover => "host approver",
            Role::AManager => "vendor A manager",
            Role::AMember => "vendor A member",
            Role::BManager => "vendor B manager",
            Role::BMember => "vendor B member",
            Role::CManager => "client manager",
            Role::CMember => "client member",
        }
    }

    pub fn party(self) -> Option<Party> {
        match self {
            Role::Anonymous => None,
            Role::HostAdmin | Role::HostPm | Role::HostMember | Role::HostApprover => Some(Party::Host),
            Role::AManager | Role::AMember => Some(Party::A),
            Role::BManager | Role::BMember => Some(Party::B),
            Role::CManager | Role::CMember => Some(Party::C),
        }
    }

    fn is_host(self) -> bool {
        self.party() == Some(Party::Host)
    }

    /// A vendor's or client's manager.
    fn is_party_manager(self) -> bool {
        matches!(self, Role::AManager | Role::BManager | Role::CManager)
    }
}

/// Who may learn a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Audience {
    /// `internal`: the host only.
    Host,
    /// `party` to one party: the host and that party. Also a vendor's contract, its
    /// installments, invoices and payments, its published scorecard.
    HostAnd(Party),
    /// `participants` of the oracle's engagement: every signed-in role.
    Participants,
    /// A selection both vendors were invited to: the host and the two vendors, never the client.
    Vendors,
    /// That party alone: a bid while bidding is open is sealed, even from the host.
    Alone(Party),
    /// The name and people of a party: the party itself, the host, and for the client also the
    /// vendors it shares the engagement with. Never another vendor; a client knows no vendor.
    /// The host is known to everyone signed in (its people, never to the anonymous visitor).
    Knows(Party),
    /// Bank details of a vendor: the host's finance approvers and that vendor's managers only.
    Bank(Party),
}

/// Whether `role` may learn what `audience` guards.
pub fn admits(audience: Audience, role: Role) -> bool {
    let party = role.party();
    match audience {
        Audience::Participants => party.is_some(),
        Audience::Host => role.is_host(),
        Audience::HostAnd(p) => role.is_host() || party == Some(p),
        Audience::Vendors => role.is_host() || matches!(party, Some(Party::A | Party::B)),
        Audience::Alone(p) => party == Some(p),
        Audience::Knows(Party::Host) => party.is_some(),
        Audience::Knows(Party::C) => party.is_some(),
        Audience::Knows(p) => role.is_host() || party == Some(p),
        Audience::Bank(p) => role == Role::HostApprover || (party == Some(p) && role.is_party_manager()),
    }
}

/// Marker codes: the letters after `LK` say the audience of the record that carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// `LKH`: internal (host only), or anything in the host-only engagement.
    H,
    /// `LKA` / `LKB` / `LKC`: `party` to vendor A / vendor B / the client.
    A,
    B,
    C,
    /// `LKP`: every participant of the oracle's engagement.
    P,
    /// `LKV`: a selection both vendors were invited to (host + both vendors).
    V,
    /// `LKS`: vendor A's sealed bid (vendor A alone while bidding is open).
    S,
}

impl Code {
    pub fn letter(self) -> char {
        match self {
            Code::H => 'H',
            Code::A => 'A',
            Code::B => 'B',
            Code::C => 'C',
            Code::P => 'P',
            Code::V => 'V',
            Code::S => 'S',
        }
    }

    pub fn audience(self) -> Audience {
        match self {
            Code::H => Audience::Host,
            Code::A => Audience::HostAnd(Party::A),
            Code::B => Audience::HostAnd(Party::B),
            Code::C => Audience::HostAnd(Party::C),
            Code::P => Audience::Participants,
            Code::V => Audience::Vendors,
            Code::S => Audience::Alone(Party::A),
        }
    }
}

impl Code {
    /// The marker code of a record of the main engagement with this visibility.
    pub fn of(visibility: &str, party: Option<Party>) -> Code {
        match (visibility, party) {
            ("internal", _) => Code::H,
            ("party", Some(Party::A)) => Code::A,
            ("party", Some(Party::B)) => Code::B,
            ("party", Some(Party::C)) => Code::C,
            _ => Code::P,
        }
    }
}

/// A contract's value, its installments, invoices and payments (and what follows from them:
/// VAT, what is left to pay): the host and that contract's counterparty.
pub fn contract_money(counterparty: Party) -> Audience {
    Audience::HostAnd(counterparty)
}

/// Sums over several contracts (the host's cash flow): the host only.
pub const MIXED_MONEY: Audience = Audience::Host;

/// A change request's cost is the price agreed between the host and the client: the host and
/// the client, and only where the client may see the change at all (`code` is the change's).
/// Never a vendor — not even for a change the vendor raised. Sums of costs likewise.
pub fn change_cost(code: Code) -> Audience {
    match code {
        Code::P | Code::C => Audience::HostAnd(Party::C),
        _ => Audience::Host,
    }
}

/// A bid's price: the host and the bidder once bidding has ended; the bidder alone while the
/// bid is sealed (the host reads no offer before the deadline or an early close).
pub fn bid_price(bidder: Party, sealed: bool) -> Audience {
    if sealed { Audience::Alone(bidder) } else { Audience::HostAnd(bidder) }
}

/// The forms a party's name takes in the database (name, legal name, credit code, mail and web
/// domain, address, phone), and its people (name in both scripts, e-mail). Spelled as the demo
/// seeds them; `the_known_names_are_the_demos` checks them against the database.
pub struct Known {
    pub party: Party,
    pub name: &'static str,
    pub forms: &'static [&'static str],
    pub people: &'static [&'static [&'static str]],
}

pub const KNOWN: &[Known] = &[
    Known {
        party: Party::Host,
        name: "星河数字科技 (its people)",
        // The host's name is public (the sign-in page may carry it); its people are not.
        forms: &[],
        people: &[
            &["王立", "Wang Li", "admin@xinghe.example"],
            &["陈静", "Chen Jing", "pm@xinghe.example"],
            &["刘洋", "Liu Yang", "member@xinghe.example"],
            &["赵磊", "Zhao Lei", "approver@xinghe.example"],
            &["周敏", "pmo@xinghe.example"],
        ],
    },
    Known {
        party: Party::A,
        name: "vendor A 云帆软件 Yunfan",
        forms: &["云帆", "Yunfan", "杭州云帆软件有限公司", "91110000600037341L", "文三路", "0571-8888 2020"],
        people: &[
            &["孙浩", "Sun Hao", "manager@yunfan.example", "delivery@yunfan.example"],
            &["李娜", "Li Na", "dev@yunfan.example"],
        ],
    },
    Known {
        party: Party::B,
        name: "vendor B 数智测试 Shuzhi",
        forms: &["数智", "Shuzhi", "深圳数智测试技术有限公司", "91440300708461136T", "科技园南区", "0755-2666 0101"],
        people: &[
            &["Grace Lin", "manager@shuzhi.example", "grace@shuzhi.example"],
            &["黄涛", "Huang Tao", "qa@shuzhi.example"],
        ],
    },
    Known {
        party: Party::C,
        name: "client 华东物流 East China Logistics",
        // Not "华东" alone: that is also how the UI names the region East China.
        forms: &[
            "华东物流",
            "East China Logistics",
            "hdlogistics",
            "华东物流集团股份有限公司",
            "江东中路",
            "025-8686 7000",
        ],
        people: &[
            &["吴倩", "Wu Qian", "manager@hdlogistics.example", "it@hdlogistics.example"],
            &["郑凯", "Zheng Kai", "member@hdlogistics.example"],
        ],
    },
];

/// The forms an amount (in minor units, fen) may take in an answer: plain (`683917`, also
/// inside `683917.00`; `38712.28`), grouped (`683,917`; `38,712.28`) and in minor units
/// (`68391700`, `3871228`).
pub fn money_forms(minor: i64) -> Vec<String> {
    let (yuan, fen) = (minor / 100, minor % 100);
    let plain = yuan.to_string();
    let mut grouped = String::new();
    for (i, c) in plain.chars().enumerate() {
        if i > 0 && (plain.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let tail = if fen == 0 { String::new() } else { format!(".{fen:02}") };
    let mut forms = vec![format!("{plain}{tail}"), minor.to_string()];
    if grouped != plain {
        forms.push(format!("{grouped}{tail}"));
    }
    forms
}

/// Roles that legitimately never meet a kind of record on any route, so the positive control
/// does not expect them to see its markers. Kept few and explicit: (kind, roles, why).
pub const NOT_SHOWN: &[(&str, &[Role], &str)] = &[];

#[test]
fn money_forms_cover_plain_grouped_and_minor_units() {
    assert_eq!(money_forms(68_391_700), vec!["683917", "68391700", "683,917"]);
    assert_eq!(money_forms(129_485_300), vec!["1294853", "129485300", "1,294,853"]);
    assert_eq!(money_forms(3_871_228), vec!["38712.28", "3871228", "38,712.28"]);
}
