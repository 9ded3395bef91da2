//! Outgoing e-mail: queued in the outbox inside the deciding transaction, delivered by a job
//! through a `Mailer` (SMTP in production, a log line when no SMTP server is configured).

pub mod entity;

use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
    transport::smtp::authentication::Credentials,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};

use crate::{
    AppState,
    config::{SmtpConfig, SmtpTls},
    jobs,
};
use entity::outbox_email;

/// One message as it leaves Accord.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[async_trait::async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, email: &Email) -> anyhow::Result<()>;
}

/// Delivers through an SMTP server.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn new(cfg: &SmtpConfig) -> anyhow::Result<Self> {
        let builder = match cfg.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host),
            SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&cfg.host)?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&cfg.host)?,
        };
        let mut builder = builder.port(cfg.port).timeout(Some(Duration::from_secs(20)));
        if let (Some(user), Some(pass)) = (&cfg.user, &cfg.password) {
            builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
        }
        Ok(Self { transport: builder.build(), from: cfg.from.parse()? })
    }
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, email: &Email) -> anyhow::Result<()> {
        let msg = Message::builder()
            .from(self.from.clone())
            .to(email.to.parse()?)
            .subject(email.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone())?;
        self.transport.send(msg).await?;
        Ok(())
    }
}

/// Without SMTP settings, mail is written to the log so a single-machine trial still shows links.
pub struct LogMailer;

#[async_trait::async_trait]
impl Mailer for LogMailer {
    async fn send(&self, email: &Email) -> anyhow::Result<()> {
        tracing::info!(to = %email.to, subject = %email.subject, body = %email.body, "e-mail (no SMTP server configured)");
        Ok(())
    }
}

/// Puts a message in the outbox and queues its delivery, inside the caller's transaction.
pub async fn queue(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<i64, DbErr> {
    let row = outbox_email::ActiveModel {
        to_address: Set(to.to_owned()),
        subject: Set(subject.to_owned()),
        body: Set(body.to_owned()),
        state: Set("queued".into()),
        attempts: Set(0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    jobs::enqueue(db, now, &SEND_EMAIL, serde_json::json!({ "outbox_id": row.id }), now).await?;
    Ok(row.id)
}

/// Delivers one outbox message; a failure is retried with backoff, up to eight attempts.
pub const SEND_EMAIL: jobs::Kind = jobs::Kind {
    name: "send_email",
    max_attempts: 8,
    every_seconds: None,
    run: |state, data, last_attempt| Box::pin(deliver(state, data, last_attempt)),
};

async fn deliver(state: &AppState, data: &serde_json::Value, last_attempt: bool) -> anyhow::Result<()> {
    let Some(outbox_id) = data.get("outbox_id").and_then(serde_json::Value::as_i64) else {
        anyhow::bail!("no outbox_id in {data}");
    };
    let Some(row) = outbox_email::Entity::find_by_id(outbox_id).one(&state.db).await? else {
        return Ok(());
    };
    if row.state == "sent" {
        return Ok(());
    }
    let email = Email { to: row.to_address.clone(), subject: row.subject.clone(), body: row.body.clone() };
    let result = state.mailer.send(&email).await;
    let mut am: outbox_email::ActiveModel = row.clone().into();
    am.attempts = Set(row.attempts + 1);
    match &result {
        Ok(()) => {
            am.state = Set("sent".into());
            am.sent_at = Set(Some(state.clock.now()));
            am.last_error = Set(None);
            // Keep a record of what was sent, minus links that still work.
            am.body = Set(crate::auth::tokens::redact(&row.body));
        }
        Err(e) => {
            am.last_error = Set(Some(e.to_string()));
            if last_attempt {
                am.state = Set("failed".into());
            }
        }
    }
    am.update(&state.writer).await?;
    result
}
