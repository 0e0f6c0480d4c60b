#pragma once
// The fuzz targets' input as a file (the parsers under test read files, as PoisonLab does with
// everything from outside): one per process in /dev/shm (or the temp folder), rewritten per input.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace poisonlab::fuzz {

inline std::filesystem::path inputFile(const char *suffix)
{
    const std::filesystem::path shm = "/dev/shm";
    const auto dir = std::filesystem::is_directory(shm) ? shm : std::filesystem::temp_directory_path();
    return dir / ("poisonlab-fuzz-" + std::to_string(::getpid()) + suffix);
}

inline const std::filesystem::path &writeInput(const std::uint8_t *data, std::size_t size, const char *suffix)
{
    static const std::filesystem::path file = inputFile(suffix);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data), std::streamsize(size));
    return file;
}

} // namespace poisonlab::fuzz
