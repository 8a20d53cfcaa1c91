//! The tonic adapter: tonic dials its own connections, so the connection made here step by
//! step (and sniffed) is handed to it through [`OneShot`], a connector that yields that one
//! connection once and fails any later dial instead of reconnecting.

use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tonic::transport::Uri;

/// Any stream a connection ends up as: TCP, or TLS over TCP, each sniffed.
pub(super) trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

/// Hands a connection made beforehand to tonic, once.
#[derive(Clone)]
pub(super) struct OneShot(Arc<Mutex<Option<Box<dyn Io>>>>);

impl OneShot {
    pub(super) fn new(io: Box<dyn Io>) -> OneShot {
        OneShot(Arc::new(Mutex::new(Some(io))))
    }
}

impl tower::Service<Uri> for OneShot {
    type Response = TokioIo<Box<dyn Io>>;
    type Error = io::Error;
    type Future = std::future::Ready<io::Result<Self::Response>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _uri: Uri) -> Self::Future {
        let io = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        std::future::ready(match io {
            Some(io) => Ok(TokioIo::new(io)),
            None => Err(io::Error::new(io::ErrorKind::NotConnected, "the connection was closed")),
        })
    }
}
