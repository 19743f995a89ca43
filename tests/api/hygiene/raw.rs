//! Requests as a misbehaving client sends them: any headers (repeated ones too), any
//! body bytes with no content type added, and a chunked body written over a bare socket.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use onboard_tests::{Reply, TestEnv};
use reqwest::Method;
use serde_json::Value;

/// Sends `method path` with exactly `headers` (in order, repeats kept) and `body`.
pub async fn send(
    env: &TestEnv,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Vec<u8>>,
) -> Reply {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(40))
        .build()
        .expect("reqwest client");
    let mut request = client.request(method.clone(), format!("{}{path}", env.api.base()));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.body(body);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: transport error: {e}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    reply(status, headers, text)
}

/// POSTs `size` bytes to `path` with `Transfer-Encoding: chunked` (no `Content-Length`),
/// so the server learns the size only while reading. Writing stops quietly if the server
/// answers and closes first; the answer is read either way.
pub async fn post_chunked(
    env: &TestEnv,
    path: &str,
    headers: &[(&str, &str)],
    size: usize,
) -> Reply {
    let address = env.api.base().trim_start_matches("http://").to_owned();
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n"
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(&address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let chunk = vec![b'1'; 4096];
        let mut written = stream.write_all(head.as_bytes());
        let mut sent = 0;
        while written.is_ok() && sent < size {
            let n = chunk.len().min(size - sent);
            written = stream
                .write_all(format!("{n:x}\r\n").as_bytes())
                .and_then(|()| stream.write_all(&chunk[..n]))
                .and_then(|()| stream.write_all(b"\r\n"));
            sent += n;
        }
        if written.is_ok() {
            let _ = stream.write_all(b"0\r\n\r\n");
        }
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .expect("chunked writer");
    parse_http1(&answer)
}

/// A reply from the text of an HTTP/1.1 answer with a `Content-Length` body.
fn parse_http1(answer: &str) -> Reply {
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no complete answer: {answer:?}"));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {answer:?}"));
    let mut headers = reqwest::header::HeaderMap::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            headers.append(
                reqwest::header::HeaderName::from_bytes(name.trim().as_bytes()).expect("name"),
                value.trim().parse().expect("value"),
            );
        }
    }
    reply(status, headers, body.to_owned())
}

fn reply(status: u16, headers: reqwest::header::HeaderMap, text: String) -> Reply {
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
        text,
    }
}
