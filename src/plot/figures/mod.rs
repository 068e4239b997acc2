//! One module per figure kind; each turns plain data into a [`crate::plot::output::Figure`].

pub mod bands;
pub mod boxplot;
pub mod ecdf;
pub mod fan;
mod group_axis;
pub mod heatmap;
pub mod histogram;
pub mod morris;
