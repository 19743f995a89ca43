//! placeholder replaced by the sandbox implementation
