//! The oracle's own world, made through the services on top of the demo's parties and people
//! (`Extent::Plan`; the oracle reads none of the demo's story texts): one engagement where the
//! host, both vendors and the client take part, a host-only one, and records of every kind in
//! every visibility, each carrying a marker of its audience.

use accord::auth::Viewer;

use super::{
    rules::{Code, Party},
    world::World,
};
use crate::support::TestApp;

/// Who acts in the seed, and the parties' ids.
pub struct Seed<'a> {
    pub app: &'a TestApp,
    pub w: World,
    pub admin: Viewer,
    pub pm: Viewer,
    pub member: Viewer,
    pub approver: Viewer,
    pub a_mgr: Viewer,
    pub a_dev: Viewer,
    pub b_mgr: Viewer,
    pub b_qa: Viewer,
    pub c_mgr: Viewer,
    pub c_mem: Viewer,
    pub host: i64,
    pub a: i64,
    pub b: i64,
    pub c: i64,
}

impl Seed<'_> {
    pub fn party_id(&self, p: Party) -> i64 {
        match p {
            Party::Host => self.host,
            Party::A => self.a,
            Party::B => self.b,
            Party::C => self.c,
        }
    }

    /// A link to a record only its audience may follow (nothing to register for `participants`).
    pub fn link(&mut self, code: Code, url: String) {
        if code != Code::P {
            self.w.link(url, code.audience());
        }
    }
}

/// The visibilities every record kind is made in: (visibility, the party it names). Indexes
/// into `Plan`'s lists follow this order: internal, A, B, C, participants.
pub const SLICES: [(&str, Option<Party>); 5] = [
    ("internal", None),
    ("party", Some(Party::A)),
    ("party", Some(Party::B)),
    ("party", Some(Party::C)),
    ("participants", None),
];

/// Seeds everything and returns the world the sweep reads.
pub async fn seed(app: &TestApp) -> World {
    let v = |email: &'static str| app.viewer(email);
    let mut s = Seed {
        app,
        w: World::default(),
        admin: v("admin@xinghe.example").await,
        pm: v("pm@xinghe.example").await,
        member: v("member@xinghe.example").await,
        approver: v("approver@xinghe.example").await,
        a_mgr: v("manager@yunfan.example").await,
        a_dev: v("dev@yunfan.example").await,
        b_mgr: v("manager@shuzhi.example").await,
        b_qa: v("qa@shuzhi.example").await,
        c_mgr: v("manager@hdlogistics.example").await,
        c_mem: v("member@hdlogistics.example").await,
        host: app.party_id("星河").await,
        a: app.party_id("云帆").await,
        b: app.party_id("数智").await,
        c: app.party_id("华东").await,
    };
    s.w.known_parties();
    let plan = s.plan().await;
    s.collaboration(&plan).await;
    s.requirements(&plan).await;
    let money = s.contracts(&plan).await;
    s.changes(&plan).await;
    s.risks(&plan).await;
    s.costs(&plan).await;
    s.issues(&plan).await;
    accord::warnings::evaluate(&app.state, plan.eng).await.expect("warnings");
    s.acceptance(&plan).await;
    s.vendors().await;
    s.selections().await;
    s.scorecards().await;
    s.people().await;
    s.register_common(&money).await;
    s.w.crossed("certificate", "vendor");
    s.w.crossed("bid", "selection");
    s.w
}

/// Ids of the plan the later steps build on.
pub struct Plan {
    pub eng: i64,
    /// By slice (internal, A, B, C, participants).
    pub tasks: Vec<i64>,
    pub milestones: Vec<i64>,
    pub deliverables: Vec<i64>,
    pub documents: Vec<i64>,
    /// A participants task vendor B's QA does (the client and vendor A must not learn who).
    pub task_p_by_b: i64,
}

/// Ids the change and money steps share.
pub struct Money {
    pub contracts: Vec<i64>,
}

impl Seed<'_> {
    /// Ids made along the way rather than by a step (the demo's engagement, the users, every
    /// notification, the award's contract draft): they fill placeholders too.
    async fn register_common(&mut self, money: &Money) {
        use accord::{
            collab::entity::notification, contracts::entity::contract, engagements::entity::engagement,
            users::entity::user,
        };
        use sea_orm::{EntityTrait, QueryOrder};
        let db = self.app.db();
        for e in engagement::Entity::find().order_by_asc(engagement::Column::Id).all(db).await.expect("q") {
            if e.id != self.w.eng && e.id != self.w.eng2 {
                self.w.add("eng", e.id, None);
            }
        }
        for u in user::Entity::find().order_by_asc(user::Column::Id).all(db).await.expect("q") {
            self.w.add("user", u.id, None);
        }
        for n in notification::Entity::find().order_by_asc(notification::Column::Id).all(db).await.expect("q") {
            self.w.add("notification", n.id, None);
        }
        for c in contract::Entity::find().order_by_asc(contract::Column::Id).all(db).await.expect("q") {
            if !money.contracts.contains(&c.id) {
                self.w.add("contract", c.id, None);
            }
        }
        self.w.add("missing", 999_999, None);
        self.check_known().await;
    }

    /// Every form of a party's name and every person the rules name is spelled as the database
    /// has it: a party the demo renamed would otherwise silently drop out of the oracle.
    async fn check_known(&self) {
        use accord::{
            parties::entity::{contact, party},
            users::entity::user,
        };
        use sea_orm::EntityTrait;
        let db = self.app.db();
        let mut text = String::new();
        for p in party::Entity::find().all(db).await.expect("q") {
            let code = p.credit_code.unwrap_or_default();
            text.push_str(&[p.name, p.legal_name, code, p.address, p.website, p.phone].join("\n"));
            text.push('\n');
        }
        for c in contact::Entity::find().all(db).await.expect("q") {
            text.push_str(&[c.name, c.email, c.phone].join("\n"));
            text.push('\n');
        }
        for u in user::Entity::find().all(db).await.expect("q") {
            text.push_str(&[u.name, u.email].join("\n"));
            text.push('\n');
        }
        for s in self.w.secrets.iter().filter(|s| s.kind == "party" || s.kind == "person") {
            for n in &s.needles {
                assert!(text.contains(n.as_str()), "{n:?} ({}) is not in the database: update rules::KNOWN", s.what);
            }
        }
    }
}
