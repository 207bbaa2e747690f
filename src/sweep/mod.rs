//! Sensitivity sweeps (docs/reference.md §5): how far the ranking can be trusted.
//!
//! - [`uncertainty`]: which quantities vary and how (§5.1), and the seeded random streams;
//! - [`model`]: the case compiled into flat arrays and the batch kernel of the hot loop;
//! - [`fastmath`]: branch-free `exp`/`ln`/normal generation for that kernel;
//! - [`simd`]: which instruction set (portable, AVX2, AVX-512) the kernel runs on;
//! - [`monte_carlo`] (§5.2, §5.6) with its mergeable accumulators in [`partial`];
//! - [`tornado`] (§5.3) and [`tipping`] (§5.4), exact, on [`crate::score::bayes`];
//! - [`sobol`] (§5.5), streamed and shardable;
//! - [`shard`]: chunk ranges, fingerprints and the coverage check shared by sharded runs;
//! - [`synthetic`]: generated cases for tests and benchmarks.

pub mod fastmath;
pub mod incremental;
pub mod model;
pub mod monte_carlo;
pub mod partial;
pub mod shard;
pub mod simd;
pub mod sobol;
pub mod synthetic;
pub mod tipping;
pub mod tornado;
pub mod uncertainty;
