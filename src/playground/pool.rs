//! The page's side of the training workers: switching them on and off, the orders to send
//! them, and their reports.

use super::machine::{ExperimentsPhase, Playground};
use super::messages::{Order, Update};
use super::trainee::Trainee;
use crate::config::ConfigError;
use crate::train::Status;

/// The page's side of the pool.
impl Playground {
    /// Whether runs train in workers (`true`) or in the page's own time slices. The runs on
    /// the chart start over on the new side (training is deterministic: they come out the
    /// same), and so do the experiments. The page switches on once its workers have started, and
    /// back off if they fail.
    /// While a run trains on a file of the student's own, the page trains it itself (a
    /// worker's link cannot carry the file), and the workers take over once it is cleared.
    pub fn use_workers(&mut self, on: bool) -> Result<(), ConfigError> {
        self.workers_wanted = on;
        self.settle_workers()?;
        if !on {
            // The workers failed or are gone: nothing of theirs to cancel.
            self.parked = None;
        }
        Ok(())
    }

    pub fn workers(&self) -> bool {
        self.pool.is_some()
    }

    /// The orders for the workers since the last call (none without workers).
    pub fn take_orders(&mut self) -> Vec<Order> {
        let live = self.live_runs();
        let mut orders = self.parked_orders();
        if let Some(pool) = self.pool.as_mut() {
            orders.extend(pool.take(&live));
        }
        orders
    }

    /// A worker's report; one about a run the page no longer has is dropped.
    pub fn receive(&mut self, update: &Update) {
        if let (Some(pool), true) = (&mut self.pool, update.status != Status::Training) {
            pool.ended(update.id);
        }
        let lanes = self
            .lanes
            .iter_mut()
            .flat_map(|l| &mut l.seeds)
            .filter_map(Trainee::remote_mut);
        let experiments = match &mut self.experiments {
            ExperimentsPhase::Running { remote, .. } => Some(remote.iter_mut().map(|(_, _, r)| r)),
            _ => None,
        };
        if let Some(run) = lanes
            .chain(experiments.into_iter().flatten())
            .find(|r| r.id == update.id)
        {
            run.receive(update);
        }
    }

    /// The ids of the runs given to workers that the page still wants.
    fn live_runs(&self) -> Vec<u32> {
        let lanes = self.lanes.iter().flat_map(|l| l.remote_ids());
        let experiments = match &self.experiments {
            ExperimentsPhase::Running { remote, .. } => {
                remote.iter().map(|(_, _, r)| r.id).collect()
            }
            _ => Vec::new(),
        };
        lanes.chain(experiments).collect()
    }
}
