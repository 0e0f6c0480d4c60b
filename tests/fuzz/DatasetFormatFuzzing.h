#pragma once
// The dataset-format fuzz targets' shared part. Each target compiles one format plugin's own
// source in (its POISONLAB_DEFINE_PLUGIN factory is then this program's) and reads the fuzz input
// as that format's annotation file(s) inside a dataset root per process in /dev/shm, which holds
// a few tiny image files where the format looks for them, so records get past the image checks.
// Reading must give a dataset that keeps Dataset's promises or a poisonlab::Error naming a file —
// never a crash, a hang, unbounded memory or another exception type.
#include "FuzzInput.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Progress.h"
#include "poisonlab/core/data/ImageFileCheck.h"
#include "poisonlab/core/plugin/DatasetFormatPlugin.h"

#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <set>
#include <string_view>
#include <vector>

extern "C" poisonlab::plugin::Plugin *poisonlab_create_plugin();

namespace poisonlab::fuzz {

// Six bytes that imageFileProblem() takes for a whole JPEG (start and end-of-image markers).
inline constexpr std::string_view kTinyJpeg{"\xFF\xD8\xFF\xE0\xFF\xD9", 6};

[[noreturn]] inline void broken(const std::string &what)
{
    std::fprintf(stderr, "dataset fuzz check failed: %s\n", what.c_str());
    std::abort();
}

inline void writeBytes(const std::filesystem::path &file, std::string_view bytes)
{
    std::error_code ec; // a part of the path that is a file already: the input names both
    std::filesystem::create_directories(file.parent_path(), ec);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

/// The dataset root of this process, made on the first call with each of `images` (paths
/// relative to it) a tiny JPEG.
inline const std::filesystem::path &datasetRoot(std::initializer_list<const char *> images)
{
    static const std::filesystem::path root = [&] {
        const auto dir = inputFile("-root");
        std::filesystem::remove_all(dir);
        for (const char *image : images)
            writeBytes(dir / image, kTinyJpeg);
        return dir;
    }();
    return root;
}

/// The input cut at its first `parts - 1` NUL bytes (JSON and text annotations hold none): the
/// first part is the main annotation file, a second one a companion (e.g. COCO instances).
inline std::vector<std::string_view> splitAtNul(const std::uint8_t *data, std::size_t size, std::size_t parts)
{
    std::vector<std::string_view> out;
    std::string_view rest(reinterpret_cast<const char *>(data), size);
    while (out.size() + 1 < parts) {
        const auto nul = rest.find('\0');
        if (nul == std::string_view::npos)
            break;
        out.push_back(rest.substr(0, nul));
        rest.remove_prefix(nul + 1);
    }
    out.push_back(rest);
    return out;
}

/// Traps on a dataset that breaks what data::Dataset promises its users.
inline void checkDataset(const data::Dataset &d)
{
    std::set<std::string_view> paths;
    for (const auto &image : d.images) {
        const std::string &p = image.path;
        if (p.empty() || p.front() == '/' || p.find('\\') != std::string::npos || p.find('\0') != std::string::npos)
            broken("image path \"" + p + "\" is not a clean relative path");
        for (std::size_t start = 0; start <= p.size();) {
            const std::size_t end = std::min(p.find('/', start), p.size());
            const std::string_view part(p.data() + start, end - start);
            if (part.empty() || part == "." || part == "..")
                broken("image path \"" + p + "\" has an empty, . or .. part");
            start = end + 1;
        }
        if (image.width < 0 || image.height < 0)
            broken("image " + p + " is " + std::to_string(image.width) + " x " + std::to_string(image.height));
        if (!paths.insert(p).second)
            broken("image path \"" + p + "\" is listed twice");
        if (image.label < -1 || image.label >= int(d.classes.size()))
            broken("label " + std::to_string(image.label) + " of " + p + " is not a class");
        for (int c : image.categories)
            if (c < 0 || c >= int(d.classes.size()))
                broken("category " + std::to_string(c) + " of " + p + " is not a class");
    }
    std::vector<bool> captioned(d.images.size());
    for (const auto &caption : d.captions) {
        if (caption.image < 0 || caption.image >= int(d.images.size()))
            broken("caption of image " + std::to_string(caption.image) + ", which does not exist");
        captioned[std::size_t(caption.image)] = true;
        if (caption.text.empty() || !data::isValidUtf8(caption.text))
            broken("caption \"" + caption.text + "\" is empty or not UTF-8");
    }
    for (std::size_t i = 0; i < captioned.size(); ++i)
        if (!captioned[i])
            broken("image " + d.images[i].path + " has no caption");
}

/// Reads `annotations` with the format plugin compiled into this target and checks the outcome.
inline void readDataset(const std::filesystem::path &root, const std::vector<std::filesystem::path> &annotations,
                        const nlohmann::json &options)
{
    static const std::unique_ptr<plugin::Plugin> created(poisonlab_create_plugin());
    auto *format = dynamic_cast<plugin::DatasetFormatPlugin *>(created.get());
    if (!format)
        broken("the plugin compiled in is not a dataset format");
    data::DatasetSource source;
    source.root = root;
    source.annotations = annotations;
    source.options = options;
    NullProgress progress;
    try {
        checkDataset(format->read(source, progress));
    } catch (const Error &e) {
        if (e.file().empty())
            broken(std::string("a poisonlab::Error that names no file: ") + e.what());
    }
}

} // namespace poisonlab::fuzz
