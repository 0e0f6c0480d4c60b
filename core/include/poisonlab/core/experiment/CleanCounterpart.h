#pragma once

#include <filesystem>
#include <optional>

namespace poisonlab::experiment {

/// The clean run that goes with the run in `runDir` (its reference: same data, no attack), for
/// the views and commands that compare the two. Looked for, in this order:
///  1. `<runDir>-clean`, where the workbench's Train step puts the clean reference;
///  2. a sibling run directory (same parent folder) that finished, has no attack, and read the
///     same datasets (same names and checksums in run.json); the most recently updated wins.
/// std::nullopt when there is none, when `runDir` is itself clean, or when it is not a run.
/// Unreadable siblings are skipped, never thrown.
std::optional<std::filesystem::path> findCleanCounterpart(const std::filesystem::path &runDir);

/// True when the run directory's config names no attack (a clean run). Throws poisonlab::Error
/// naming the file when `runDir` is not a readable run.
bool isCleanRun(const std::filesystem::path &runDir);

} // namespace poisonlab::experiment
