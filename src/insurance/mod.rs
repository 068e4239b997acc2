//! Social insurance rules of both pension tracks, the other insurances and the housing fund:
//! pure functions over plain data, tested against the worked cases of the domain brief.

pub mod params;

pub use params::InsuranceParams;
