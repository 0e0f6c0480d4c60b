#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace poisonlab {

/// A small, fast, portable random generator (SplitMix64-seeded xoshiro256**). Unlike the
/// <random> distributions, its uniform/normal helpers give the same numbers with every standard
/// library, so seeded datasets, splits and attacks are byte-identical everywhere.
class Rng {
public:
    using result_type = std::uint64_t;
    explicit Rng(std::uint64_t seed = 0);

    std::uint64_t next();
    std::uint64_t operator()() { return next(); }
    static constexpr std::uint64_t min() { return 0; }
    static constexpr std::uint64_t max() { return ~std::uint64_t(0); }

    /// Uniform integer in [0, n); n must be > 0. Unbiased (rejection sampling).
    std::uint64_t below(std::uint64_t n);
    /// Uniform integer in [lo, hi] inclusive.
    long long range(long long lo, long long hi);
    /// Uniform double in [0, 1).
    double uniform();
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    /// Standard normal (Box-Muller, no cached second value: the stream stays simple to reason about).
    double normal();
    bool chance(double p) { return uniform() < p; }

    /// Fisher-Yates shuffle with this generator.
    template <typename T>
    void shuffle(std::vector<T> &v)
    {
        for (std::size_t i = v.size(); i > 1; --i) {
            std::size_t j = static_cast<std::size_t>(below(i));
            std::swap(v[i - 1], v[j]);
        }
    }

    /// A generator for an independent sub-stream (e.g. one per image) derived from this seed.
    static Rng derive(std::uint64_t seed, std::uint64_t stream);

private:
    std::uint64_t s[4];
};

} // namespace poisonlab
