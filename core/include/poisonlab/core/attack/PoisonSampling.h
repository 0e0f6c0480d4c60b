#pragma once

#include "poisonlab/core/Rng.h"

#include <cstddef>
#include <vector>

namespace poisonlab::attack {

/// How many of `units` class-A units a poison rate poisons, the way pandas'
/// `DataFrame.sample(frac=rate)` (the paper's code) counts them: round(rate * units), ties to even.
long long poisonCount(double rate, long long units);

/// Throws poisonlab::Error unless 0 < rate <= 1 (and finite).
void checkPoisonRate(double rate, const char *what = "rate");

/// `k` distinct indices from [0, n), in the order drawn (a partial Fisher-Yates shuffle).
std::vector<std::size_t> sampleWithoutReplacement(std::size_t n, std::size_t k, Rng &rng);

/// `count` images taken from `images` the way the paper's Attack II code takes them when class A
/// has more captions than class B has images: every image floor(count / m) times, then
/// count % m distinct ones drawn at random, and the whole list shuffled.
std::vector<int> reuseInTurn(const std::vector<int> &images, std::size_t count, Rng &rng);

} // namespace poisonlab::attack
