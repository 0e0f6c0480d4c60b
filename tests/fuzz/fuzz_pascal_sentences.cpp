// libFuzzer target: the UIUC PASCAL sentences layout (plugins/datasets/pascal-sentences), a
// folder tree rather than one file: the input names the files. A line "=== <path>" starts a file
// (under dataset/ or sentence/), the lines after it up to the next such line are its contents; an
// image file left empty gets a tiny JPEG, a path ending in '/' is a folder. So the fuzzer picks
// class folders, file names and extensions as well as the sentence files' bytes.
#include "DatasetFormatFuzzing.h"

namespace {
namespace fs = std::filesystem;

// `path` as a relative path under dataset/ or sentence/ with at most three parts, or empty.
fs::path safeRelative(std::string_view path)
{
    fs::path out;
    std::size_t parts = 0;
    for (std::size_t start = 0; start <= path.size();) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view part = path.substr(start, end - start);
        start = end + 1;
        if (part.empty())
            continue;
        if (part == "." || part == ".." || part.size() > 64 || part.find('\0') != std::string_view::npos ||
            ++parts > 3 || (parts == 1 && part != "dataset" && part != "sentence"))
            return {};
        out /= std::string(part);
    }
    return parts >= 2 ? out : fs::path();
}

void makeTree(const fs::path &root, std::string_view input)
{
    fs::path file;
    std::string contents;
    int files = 0;
    auto flush = [&] {
        if (!file.empty() && ++files <= 32)
            poisonlab::fuzz::writeBytes(root / file, contents.empty() && *file.begin() == "dataset"
                                                         ? poisonlab::fuzz::kTinyJpeg
                                                         : std::string_view(contents));
        file.clear();
        contents.clear();
    };
    for (std::size_t start = 0; start < input.size();) {
        const std::size_t end = std::min(input.find('\n', start), input.size());
        const std::string_view line = input.substr(start, end - start);
        start = end + 1;
        if (line.rfind("=== ", 0) == 0) {
            flush();
            const fs::path path = safeRelative(line.substr(4));
            std::error_code ec;
            if (line.back() == '/' && !path.empty())
                fs::create_directories(root / path, ec);
            else
                file = path;
        } else if (!file.empty()) {
            contents.append(line).push_back('\n');
        }
    }
    flush();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace poisonlab::fuzz;
    const auto &root = datasetRoot({});
    fs::remove_all(root / "dataset");
    fs::remove_all(root / "sentence");
    fs::create_directories(root);
    makeTree(root, std::string_view(reinterpret_cast<const char *>(data), size));
    readDataset(root, {}, nlohmann::json::object());
    return 0;
}
