//! Registers to work with before an office has its own: the demo register, built from
//! the two seed texts in `shared/seeds/`, and a generator of realistic registers at
//! scale (10k, 100k agreements) for benchmarks and load tests.

// Amounts in cents are grouped as euros and cents: `250_000_00` is € 250.000,00.
#![allow(clippy::inconsistent_digit_grouping)]

pub mod generator;
pub mod seeds;

pub use generator::{Extent, GeneratorStats, generate, generate_with};
pub use seeds::build_demo;
