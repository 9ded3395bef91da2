//! A real SMTP server on loopback for the tests: mail goes over the SMTP protocol and every
//! message is kept to read back.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use accord::config::{SmtpConfig, SmtpTls};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
};

/// A real SMTP server on loopback that keeps every message it receives.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    messages: Arc<Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        let port = listener.local_addr().expect("addr").port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let store = messages.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let (r, mut w) = sock.into_split();
                    let mut lines = BufReader::new(r).lines();
                    let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                    let mut in_data = false;
                    let mut data = String::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        if in_data {
                            if line == "." {
                                in_data = false;
                                store.lock().expect("store").push(std::mem::take(&mut data));
                                let _ = w.write_all(b"250 queued\r\n").await;
                            } else {
                                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                                data.push('\n');
                            }
                            continue;
                        }
                        let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                            "DATA" => {
                                in_data = true;
                                b"354 go ahead\r\n"
                            }
                            "QUIT" => {
                                let _ = w.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"250 ok\r\n",
                        };
                        let _ = w.write_all(reply).await;
                    }
                });
            }
        });
        Self { port, messages }
    }

    pub fn config(&self) -> SmtpConfig {
        SmtpConfig {
            host: "127.0.0.1".into(),
            port: self.port,
            user: None,
            password: None,
            from: "Accord <accord@accord.test>".into(),
            tls: SmtpTls::None,
        }
    }

    pub fn messages(&self) -> Vec<String> {
        self.messages.lock().expect("store").clone()
    }
}

/// Decodes a MIME message body that lettre may have encoded (quoted-printable or base64).
pub fn decoded_body(raw: &str) -> String {
    let (head, body) = raw.split_once("\n\n").unwrap_or(("", raw));
    if head.to_ascii_lowercase().contains("content-transfer-encoding: base64") {
        use base64::Engine;
        let joined: String = body.lines().collect();
        let bytes = base64::engine::general_purpose::STANDARD.decode(joined.trim()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    } else if head.to_ascii_lowercase().contains("quoted-printable") {
        let mut out = Vec::new();
        let soft = body.replace("=\n", "");
        let b = soft.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'='
                && i + 2 < b.len()
                && let Ok(v) = u8::from_str_radix(&soft[i + 1..i + 3], 16)
            {
                out.push(v);
                i += 3;
                continue;
            }
            out.push(b[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    } else {
        body.to_owned()
    }
}
