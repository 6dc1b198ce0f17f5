//! Where the diagnosis puts marks on the charts: the best epochs, the plateau's start and an
//! early stop. The chart only draws markers; this module knows what a diagnosis means.

use crate::chart::{Marker, Metric, INK};
use crate::diagnose::Diagnosis;
use crate::train::Status;
use plotters::style::RGBColor;

/// The diagnosis's epochs as chart markers: on the accuracy chart the best validation
/// accuracy, on the loss chart the best validation loss as the plateau counts it (both in
/// `best_color`), on both the plateau's start. Both bests are at or before the start, as
/// [`crate::diagnose::Plateau::sentence`] says. `prefix` names the run in a comparison.
pub fn diagnosis_markers(
    diagnosis: &Diagnosis,
    prefix: &str,
    best_color: RGBColor,
) -> Vec<(Metric, Marker)> {
    let p = &diagnosis.plateau;
    let marker = |epoch: Option<usize>, label: &str, color| {
        epoch.map(|epoch| Marker {
            epoch,
            label: format!("{prefix}{label}"),
            color,
        })
    };
    // The plateau's start, where the curves go flat; the sentence names the same epochs.
    let plateau = || marker(p.start_epoch(), "plateau", INK);
    let mut markers: Vec<(Metric, Marker)> = [
        (
            Metric::Accuracy,
            marker(p.best_epoch, "best val acc", best_color),
        ),
        (Metric::Accuracy, plateau()),
        (
            Metric::Loss,
            marker(p.counted_loss_epoch, "best val loss", best_color),
        ),
        (Metric::Loss, plateau()),
    ]
    .into_iter()
    .filter_map(|(metric, m)| m.map(|m| (metric, m)))
    .collect();
    // EarlyStopping ended the run here, `patience` epochs after the "best val loss" marker,
    // whose weights it restored (it counts the loss in the plateau's unit).
    if let Status::EarlyStopped { epoch } = diagnosis.status {
        for metric in [Metric::Loss, Metric::Accuracy] {
            markers.extend(marker(Some(epoch), "early stop", INK).map(|m| (metric, m)));
        }
    }
    markers.sort_by_key(|(_, m)| m.epoch);
    markers
}
