#pragma once
// For fuzz targets whose parser reads a folder (a Hugging Face checkpoint, a tokenizer folder):
// one folder per process beside FuzzInput.h's input file, with the fixed files written once and
// the fuzzed file rewritten per input.
#include "FuzzInput.h"

#include <string_view>

namespace poisonlab::fuzz {

inline std::filesystem::path makeFolder(const char *suffix)
{
    const auto dir = inputFile(suffix);
    std::filesystem::create_directories(dir);
    return dir;
}

inline void writeBytes(const std::filesystem::path &file, std::string_view bytes)
{
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

} // namespace poisonlab::fuzz
