#pragma once

// Checks a TorchScript archive's zip structure before LibTorch reads it. LibTorch's zip reader
// skips the CRC-32 checks (miniz built with MINIZ_DISABLE_ZIP_READER_CRC32_CHECKS) and hands a
// damaged code record to its TorchScript compiler, which can crash on it (fuzz_openai_zip found a
// SEGV in ScriptTypeParser::parseClassConstant), and it allocates what a record declares.

#include <filesystem>

namespace poisonlab::clip {

/// Throws poisonlab::Error naming `file` unless it is a zip archive whose every entry is stored
/// or deflated (as PyTorch writes them; a deflated one inflates to at most 64 MB), lies within the
/// file and matches its CRC-32.
void checkTorchScriptArchive(const std::filesystem::path &file);

} // namespace poisonlab::clip
