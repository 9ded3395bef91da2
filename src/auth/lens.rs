//! What a viewer may *know* inside records it can see: which other parties (their names and
//! ids), their people, whose prices, internal notes, and facts drawn from records it cannot see.
//! The `Viewer` decides which records are visible; this lens decides what those records may say.
//! Every DTO, page, export and chart that names a party, a person or a price reads it through
//! here, so the rule lives in one place.

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::Viewer;
use crate::{
    AppState,
    engagements::entity::participant,
    error::AppResult,
    i18n::Lang,
    parties::{entity::party, service::host_ids},
    users::entity::user,
};

/// Relations whose party every participant may know of: the engagement's client and its
/// supervisor (监理). Vendors stay unknown to each other and to the client.
const KNOWN_RELATIONS: [&str; 2] = ["client", "supervisor"];

/// What one viewer may know inside one engagement (or outside any, see [`Lens::outside`]).
#[derive(Clone, Debug)]
pub struct Lens {
    me: i64,
    /// The host knows everything.
    all: bool,
    /// Parties this viewer may know of: its own, the host, the engagement's client and supervisor.
    known: HashSet<i64>,
    /// Whether the viewer's party is a client of the engagement: prices agreed between the host
    /// and the client (a change's cost) are for them and the host only.
    client: bool,
}

impl Lens {
    /// The lens of a viewer inside engagement `engagement_id` (one query; none for the host).
    /// The caller has already checked that the viewer may see the engagement.
    pub async fn of(state: &AppState, viewer: &Viewer, engagement_id: i64) -> AppResult<Self> {
        Self::of_in(&state.db, viewer, engagement_id).await
    }

    /// [`Lens::of`] on any connection (inside a transaction, a job).
    pub async fn of_in(db: &impl ConnectionTrait, viewer: &Viewer, engagement_id: i64) -> AppResult<Self> {
        if viewer.is_host() {
            return Ok(Self::everything(viewer));
        }
        let rows: Vec<(i64, String)> = participant::Entity::find()
            .select_only()
            .column(participant::Column::PartyId)
            .column(participant::Column::Relation)
            .filter(participant::Column::EngagementId.eq(engagement_id))
            .filter(known_participants(viewer))
            .into_tuple()
            .all(db)
            .await?;
        let hosts = host_ids(db).await?;
        let client = rows.iter().any(|(p, r)| *p == viewer.party.id && r == "client");
        let mut known: HashSet<i64> = rows.into_iter().map(|(p, _)| p).chain(hosts).collect();
        known.insert(viewer.party.id);
        Ok(Self { me: viewer.party.id, all: false, known, client })
    }

    /// Outside any engagement (the register of contracts, a vendor's own profile): a vendor or
    /// client knows its own party and the host.
    pub async fn outside(state: &AppState, viewer: &Viewer) -> AppResult<Self> {
        if viewer.is_host() {
            return Ok(Self::everything(viewer));
        }
        let mut known: HashSet<i64> = host_ids(&state.db).await?.into_iter().collect();
        known.insert(viewer.party.id);
        Ok(Self { me: viewer.party.id, all: false, known, client: false })
    }

    fn everything(viewer: &Viewer) -> Self {
        Self { me: viewer.party.id, all: true, known: HashSet::new(), client: false }
    }

    /// The host: nothing is masked.
    pub fn sees_all(&self) -> bool {
        self.all
    }

    /// Whether the viewer may know that party `id` takes part (its name, its id, its people).
    pub fn knows(&self, party: i64) -> bool {
        self.all || party == self.me || self.known.contains(&party)
    }

    /// A reference to a party, or `None` when the viewer may not know it.
    pub fn party(&self, party: Option<i64>) -> Option<i64> {
        party.filter(|p| self.knows(*p))
    }

    /// A value that belongs to a person of party `party_of_person`, or `None` when the viewer
    /// may not know that party (its people are unknown too).
    pub fn person<T>(&self, party_of_person: i64, value: T) -> Option<T> {
        self.knows(party_of_person).then_some(value)
    }

    /// A price agreed between the host and `party` (a contract's worth, an installment): only
    /// those two may know it.
    pub fn price_with<T>(&self, party: i64, value: T) -> Option<T> {
        (self.all || party == self.me).then_some(value)
    }

    /// A price agreed between the host and the engagement's client (a change's cost, what the
    /// change board may decide alone): the host and the client only; vendors never learn it.
    pub fn client_price<T>(&self, value: T) -> Option<T> {
        (self.all || self.client).then_some(value)
    }

    /// The host's own notes and internal arrangements inside a shared record (impact notes, who
    /// reviews a contract internally): the host only.
    pub fn internal<T>(&self, value: T) -> Option<T> {
        self.all.then_some(value)
    }

    /// Whether the viewer reads the host's internal records inside a shared one (a contract's
    /// legal and finance reviews, periodic checkups, the whole plan's finish date).
    pub fn sees_internal(&self) -> bool {
        self.all
    }

    /// Whether a fact drawn from a record with this visibility may be shown (its label, its
    /// link): the same rule as the `Viewer`'s record scope, for records met inside other ones.
    pub fn sees_record(&self, visibility: &str, visible_party: Option<i64>) -> bool {
        self.all || visibility == "participants" || (visibility == "party" && visible_party == Some(self.me))
    }

    /// Names of the given parties that the viewer may know; the rest stay out of the map.
    pub async fn party_names(&self, db: &impl ConnectionTrait, ids: impl IntoIterator<Item = i64>) -> AppResult<Names> {
        let ids: HashSet<i64> = ids.into_iter().filter(|p| self.knows(*p)).collect();
        if ids.is_empty() {
            return Ok(Names::default());
        }
        let rows: Vec<(i64, String)> = party::Entity::find()
            .select_only()
            .column(party::Column::Id)
            .column(party::Column::Name)
            .filter(party::Column::Id.is_in(ids))
            .into_tuple()
            .all(db)
            .await?;
        Ok(Names(rows.into_iter().collect()))
    }

    /// The given people, as far as the viewer may know them (a person of an unknown party is
    /// left out, so neither the name nor the e-mail is ever read for display).
    pub async fn people(&self, db: &impl ConnectionTrait, ids: impl IntoIterator<Item = i64>) -> AppResult<People> {
        let ids: HashSet<i64> = ids.into_iter().collect();
        if ids.is_empty() {
            return Ok(People::default());
        }
        let rows: Vec<(i64, String, String, i64)> = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .column(user::Column::Name)
            .column(user::Column::Email)
            .column(user::Column::PartyId)
            .filter(user::Column::Id.is_in(ids))
            .into_tuple()
            .all(db)
            .await?;
        Ok(People(
            rows.into_iter()
                .filter(|(_, _, _, party)| self.knows(*party))
                .map(|(id, name, email, party_id)| (id, Person { name, email, party_id }))
                .collect(),
        ))
    }
}

/// The participants a non-host viewer may know of, as a condition on the participants table
/// (the same rule as [`Lens::knows`]; lists of participants use it).
pub fn known_participants(viewer: &Viewer) -> Condition {
    if viewer.is_host() {
        return Condition::all();
    }
    Condition::any()
        .add(participant::Column::PartyId.eq(viewer.party.id))
        .add(participant::Column::Relation.is_in(KNOWN_RELATIONS))
}

/// Party names read through a lens: only the known ones.
#[derive(Clone, Debug, Default)]
pub struct Names(HashMap<i64, String>);

impl Names {
    pub fn get(&self, id: i64) -> Option<&str> {
        self.0.get(&id).map(String::as_str)
    }

    /// The name, or "another party" in the viewer's language.
    pub fn label(&self, id: i64, lang: Lang) -> String {
        self.get(id).map_or_else(|| lang.t("party-hidden"), str::to_owned)
    }

    /// [`Names::get`] for an optional reference.
    pub fn of(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|i| self.get(i)).map(str::to_owned)
    }
}

#[derive(Clone, Debug)]
pub struct Person {
    pub name: String,
    pub email: String,
    pub party_id: i64,
}

/// People read through a lens: only those of known parties.
#[derive(Clone, Debug, Default)]
pub struct People(HashMap<i64, Person>);

impl People {
    pub fn get(&self, id: i64) -> Option<&Person> {
        self.0.get(&id)
    }

    pub fn name(&self, id: i64) -> Option<String> {
        self.0.get(&id).map(|p| p.name.clone())
    }

    /// The name, or "someone from another party" in the viewer's language.
    pub fn label(&self, id: i64, lang: Lang) -> String {
        self.name(id).unwrap_or_else(|| lang.t("person-hidden"))
    }

    /// Whether the viewer may know this person.
    pub fn knows(&self, id: i64) -> bool {
        self.0.contains_key(&id)
    }
}
