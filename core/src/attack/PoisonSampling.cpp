#include "poisonlab/core/attack/PoisonSampling.h"

#include "poisonlab/core/Error.h"

#include <cmath>
#include <numeric>
#include <sstream>

namespace poisonlab::attack {

long long poisonCount(double rate, long long units)
{
    // Python's round(): halves go to the even neighbour (pandas computes round(frac * n)).
    return static_cast<long long>(std::nearbyint(rate * static_cast<double>(units)));
}

void checkPoisonRate(double rate, const char *what)
{
    if (!std::isfinite(rate) || rate <= 0.0 || rate > 1.0) {
        std::ostringstream msg;
        msg << what << " must be in (0, 1] (the fraction of class-A pairs poisoned), got " << rate;
        throw Error(msg.str());
    }
}

std::vector<std::size_t> sampleWithoutReplacement(std::size_t n, std::size_t k, Rng &rng)
{
    if (k > n)
        throw Error("cannot draw " + std::to_string(k) + " distinct items from " + std::to_string(n));
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t(0));
    for (std::size_t i = 0; i < k; ++i) {
        const std::size_t j = i + static_cast<std::size_t>(rng.below(n - i));
        std::swap(order[i], order[j]);
    }
    order.resize(k);
    return order;
}

std::vector<int> reuseInTurn(const std::vector<int> &images, std::size_t count, Rng &rng)
{
    if (images.empty())
        throw Error("no target images to reuse");
    std::vector<int> out;
    out.reserve(count);
    const std::size_t rounds = count / images.size();
    for (std::size_t r = 0; r < rounds; ++r)
        out.insert(out.end(), images.begin(), images.end());
    for (std::size_t i : sampleWithoutReplacement(images.size(), count % images.size(), rng))
        out.push_back(images[i]);
    rng.shuffle(out);
    return out;
}

} // namespace poisonlab::attack
