#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace poisonlab {

/// Writes `bytes` to `path` so that a reader (or a crash) only ever sees the old file or the
/// complete new one: the data goes to a temporary file in the same folder, is flushed to disk,
/// and is renamed over `path`. Parent folders are created. Throws poisonlab::Error naming `path`.
void writeFileAtomically(const std::filesystem::path &path, std::string_view bytes);

/// Fault injection for tests (docs/reliability.md): while set, writeFileAtomically() calls it before
/// each chunk it writes with the target path and the bytes written so far; a non-zero errno it
/// returns (ENOSPC, EIO) fails that write as the system would. Process-wide; empty to clear.
using WriteFault = std::function<int(const std::filesystem::path &path, std::size_t written)>;
void setWriteFaultForTesting(WriteFault fault);

/// writeFileAtomically() of `value` dumped with `indent` spaces (-1: compact) and a final newline.
void writeJsonAtomically(const std::filesystem::path &path, const nlohmann::json &value, int indent = 2);

/// Reads a whole file; throws poisonlab::Error naming `path` when it cannot.
std::string readFile(const std::filesystem::path &path);

/// Parses a JSON file; a syntax error names the file, the line and the column.
nlohmann::json readJsonFile(const std::filesystem::path &path);

} // namespace poisonlab
