#include "poisonlab/core/MemoryBudget.h"

#include "poisonlab/core/Error.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace poisonlab {

namespace {

/// "512M" -> 512 MiB; nothing for text that is not a size.
std::optional<std::uint64_t> parseSize(const std::string &text)
{
    std::size_t end = 0;
    unsigned long long n = 0;
    try {
        if (text.empty() || text.front() == '-')
            return std::nullopt;
        n = std::stoull(text, &end);
    } catch (const std::exception &) {
        return std::nullopt;
    }
    const std::string unit = text.substr(end);
    int shift = 0;
    if (unit == "K" || unit == "KiB" || unit == "k")
        shift = 10;
    else if (unit == "M" || unit == "MiB")
        shift = 20;
    else if (unit == "G" || unit == "GiB")
        shift = 30;
    else if (unit == "T" || unit == "TiB")
        shift = 40;
    else if (!unit.empty())
        return std::nullopt;
    if (shift && n > (~0ULL >> shift))
        return std::nullopt;
    return std::uint64_t(n) << shift;
}

std::optional<std::uint64_t> memAvailable()
{
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::uint64_t kib = 0;
    std::string unit;
    while (in >> key >> kib) {
        std::getline(in, unit);
        if (key == "MemAvailable:")
            return kib * 1024;
    }
    return std::nullopt;
}

/// `limit` less `usage`, two files of a cgroup's folder; nothing when either is not a size
/// ("max": no limit) or the v1 "no limit" (a number near 2^63).
std::optional<std::uint64_t> remaining(const std::string &limitFile, const std::string &usageFile)
{
    std::string limit, usage;
    std::ifstream(limitFile) >> limit;
    std::ifstream(usageFile) >> usage;
    const auto l = parseSize(limit), u = parseSize(usage);
    if (!l || !u || *l >= (std::uint64_t(1) << 62))
        return std::nullopt;
    return *l > *u ? *l - *u : 0;
}

/// The memory limit left to this process's cgroup (containers, Slurm jobs); nothing without one.
std::optional<std::uint64_t> cgroupRemaining()
{
    std::ifstream self("/proc/self/cgroup");
    std::string line, group;
    while (std::getline(self, line))
        if (line.rfind("0::", 0) == 0)
            group = line.substr(3);
    if (!group.empty()) { // cgroup v2
        const std::string dir = "/sys/fs/cgroup" + (group == "/" ? std::string() : group);
        if (auto v2 = remaining(dir + "/memory.max", dir + "/memory.current"))
            return v2;
    }
    // cgroup v1, as a container sees its own group
    return remaining("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes");
}

} // namespace

std::optional<MemoryAvailable> availableMemory()
{
    std::optional<MemoryAvailable> out;
    auto consider = [&](std::optional<std::uint64_t> bytes, const char *source) {
        if (bytes && (!out || *bytes < out->bytes))
            out = MemoryAvailable{*bytes, source};
    };
    if (const char *limit = std::getenv(kMemoryLimitVariable); limit && *limit) {
        const auto bytes = parseSize(limit);
        if (!bytes)
            throw Error(std::string(kMemoryLimitVariable) + "=\"" + limit +
                        "\" is not a size (bytes, or a number with K, M, G or T)");
        consider(bytes, "the limit POISONLAB_MEMORY_LIMIT sets");
    }
    consider(memAvailable(), "MemAvailable in /proc/meminfo");
    consider(cgroupRemaining(), "the memory limit of this process's cgroup, less what it uses");
    return out;
}

std::string formatBytes(std::uint64_t bytes)
{
    const char *units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024 && u < 5) {
        v /= 1024;
        ++u;
    }
    char text[32];
    if (u == 0)
        std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
    else
        std::snprintf(text, sizeof text, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return text;
}

void requireMemory(std::uint64_t bytes, const std::string &what, const std::string &detail, const std::string &remedy)
{
    const auto available = availableMemory();
    if (!available || bytes <= available->bytes)
        return;
    throw Error(what + " needs about " + formatBytes(bytes) + " (" + detail + "), but only " +
                formatBytes(available->bytes) + " are available (" + available->source + "); " + remedy);
}

} // namespace poisonlab
