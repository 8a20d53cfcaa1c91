//! The check vocabulary, where reports are: see [`crate::check`].

pub use crate::check::*;
