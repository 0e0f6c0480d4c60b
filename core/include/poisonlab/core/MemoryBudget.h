#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace poisonlab {

/// Memory this process may still take, and where the figure comes from.
struct MemoryAvailable {
    std::uint64_t bytes = 0;
    std::string source; ///< "MemAvailable in /proc/meminfo", "the cgroup's memory.max", ...
};

/// The variable that caps what PoisonLab assumes it may allocate (bytes, or with a K, M, G or T
/// suffix: "512M"); for a shared machine, and for tests that need a small limit.
inline constexpr const char *kMemoryLimitVariable = "POISONLAB_MEMORY_LIMIT";

/// The smallest of: $POISONLAB_MEMORY_LIMIT, MemAvailable in /proc/meminfo, and the cgroup v2
/// limit (memory.max less memory.current) of this process. Nothing when none can be read. A
/// POISONLAB_MEMORY_LIMIT that is not a size throws poisonlab::Error naming it.
std::optional<MemoryAvailable> availableMemory();

/// "1.5 GiB", "320 MiB", "12 KiB", "100 bytes".
std::string formatBytes(std::uint64_t bytes);

/// Throws poisonlab::Error before a large allocation that cannot fit, rather than letting the
/// kernel kill the process hours into the work: "<what> needs about <bytes> (<detail>), but only
/// <available> are available (<source>); <remedy>". Does nothing when the available memory is
/// unknown.
void requireMemory(std::uint64_t bytes, const std::string &what, const std::string &detail, const std::string &remedy);

} // namespace poisonlab
