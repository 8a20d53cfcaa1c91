//! Rendering of link reports.
