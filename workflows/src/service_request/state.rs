//! The service-request saga's own data and what it reports.

use super::request::ServiceRequestOrder;
use super::steps::ServiceStep;
use crate::domain::ChargeId;
use crate::saga::Kit;
use serde::{Deserialize, Serialize};

/// A service-request saga: its data driven by the shared [`Kit`].
pub type ServiceRequest = Kit<ServiceFlow>;

impl ServiceRequest {
    /// A new saga about to send its operation to the wallet.
    pub fn start(order: ServiceRequestOrder) -> Self {
        Kit::new(order, ServiceFlow { charge_id: None }, ServiceStep::Charge)
    }
}

/// What the service request learns: the wallet's record of the charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceFlow {
    /// The charge, once the wallet made it.
    pub charge_id: Option<ChargeId>,
}

/// The result a completed service request reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRequestResult {
    /// The wallet's record of the charge.
    pub charge_id: ChargeId,
}
