//! The page's book of the runs it has given to workers: the orders written since the page
//! last sent them, and the runs in flight.

use super::messages::Order;
use crate::config::Config;
use std::sync::atomic::{AtomicU32, Ordering};

/// Run ids are unique over every playground of this wasm instance: a page that rebuilds its
/// playground (after a panic) still has the old one's runs in its workers.
static NEXT_ID: AtomicU32 = AtomicU32::new(0);

#[derive(Default)]
pub(super) struct Dispatch {
    /// Written since the page last took them.
    orders: Vec<Order>,
    /// Started (sent) and not yet reported ended.
    in_flight: Vec<u32>,
}

impl Dispatch {
    /// A new run for the workers, recording its instruments if asked; returns its id.
    pub(super) fn start(&mut self, config: &Config, priority: u32, instruments: bool) -> u32 {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        self.orders.push(Order::Start {
            id,
            query: config.to_query(),
            priority,
            instruments,
        });
        id
    }

    pub(super) fn stop(&mut self, id: u32, epochs: usize) {
        self.orders.push(Order::Stop { id, epochs });
    }

    pub(super) fn ended(&mut self, id: u32) {
        self.in_flight.retain(|&i| i != id);
    }

    /// The orders to send, given the runs the playground still has (`live`): a run given
    /// out and dropped since is cancelled; one written and dropped before it was sent (a
    /// slider's drag passes many) is never sent at all.
    pub(super) fn take(&mut self, live: &[u32]) -> Vec<Order> {
        let mut orders: Vec<Order> = self
            .in_flight
            .iter()
            .filter(|id| !live.contains(id))
            .map(|&id| Order::Cancel { id })
            .collect();
        self.in_flight.retain(|id| live.contains(id));
        for order in self.orders.drain(..) {
            if !live.contains(&order.id()) {
                continue;
            }
            if let Order::Start { id, .. } = order {
                self.in_flight.push(id);
            }
            orders.push(order);
        }
        orders
    }
}
