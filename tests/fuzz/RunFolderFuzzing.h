#pragma once
// For the run-directory fuzz targets: one run folder per process (beside FuzzInput.h's input
// file) holding a fixed, valid run.json, into which each input is written as the file under test.
#include "FuzzInput.h"

#include "poisonlab/core/Error.h"

#include <string_view>

namespace poisonlab::fuzz {

inline void writeRunFile(const std::filesystem::path &file, std::string_view bytes)
{
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

/// The run folder, made once per process: a run.json that opens, and nothing else.
inline const std::filesystem::path &runFolder()
{
    static const std::filesystem::path dir = [] {
        const auto d = inputFile("-run");
        std::filesystem::remove_all(d);
        writeRunFile(d / "run.json", R"({"format": "poisonlab-run", "version": 1, "name": "fuzz", "status": "finished",
                                       "datasets": [{"name": "pascal", "format": "pascal-sentences", "images": 4}]})");
        return d;
    }();
    return dir;
}

inline std::string_view bytesOf(const std::uint8_t *data, std::size_t size)
{
    return {reinterpret_cast<const char *>(data), size};
}

/// Runs `read`; a poisonlab::Error must name `file` (the message starts with a path in it).
template <typename Read>
void expectValueOrError(const std::filesystem::path &file, Read read)
{
    try {
        read();
    } catch (const poisonlab::Error &e) {
        if (std::string_view(e.what()).find(file.filename().string()) == std::string_view::npos)
            __builtin_trap(); // an error that does not say which file
    }
}

} // namespace poisonlab::fuzz
