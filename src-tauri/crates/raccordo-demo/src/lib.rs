//! Registers to work with before an office has its own: the demo register, built from
//! the two seed texts in `shared/seeds/`, and a generator of realistic registers at
//! scale (10k, 100k agreements) for benchmarks and load tests.

pub mod generator;
pub mod seeds;

pub use generator::{GeneratorStats, generate};
pub use seeds::build_demo;
