// UIUC PASCAL sentences: dataset/<class>/<image>.jpg and sentence/<class>/<image>.txt.
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/ConfinedPath.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/DatasetBuilder.h"
#include "poisonlab/core/plugin/DatasetFormatPlugin.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace {
namespace fs = std::filesystem;
using namespace poisonlab;
using namespace poisonlab::data;

const std::set<std::string> kImageExtensions = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff"};

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::vector<fs::path> sortedEntries(const fs::path &dir, bool directories)
{
    std::vector<fs::path> out;
    std::error_code ec;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        // symlink_status: a linked folder or file is listed too; the builder checks where it leads.
        const bool isDir = it->is_directory(ec);
        if (isDir == directories)
            out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

class PascalSentencesFormat final : public plugin::DatasetFormatPlugin {
public:
    Dataset read(const DatasetSource &source, ProgressReporter &progress) override
    {
        std::error_code ec;
        const std::string imageDir = ImportOptions::fromJson(source.options).imageDir.empty()
                                         ? "dataset"
                                         : ImportOptions::fromJson(source.options).imageDir;
        const fs::path images = source.root / imageDir;
        const fs::path sentences = source.root / "sentence";
        if (!fs::is_directory(images, ec))
            throw Error(images, "folder not found (PASCAL sentences keeps images in dataset/<class>/)");
        if (!fs::is_directory(sentences, ec))
            throw Error(sentences, "folder not found (PASCAL sentences keeps captions in sentence/<class>/)");

        DatasetBuilder builder(metadata().id, source.root, source.options);
        // Classes are the union of the class folders on both sides, sorted, so labels are stable.
        std::set<std::string> classNames;
        for (const auto &d : sortedEntries(images, true))
            classNames.insert(d.filename().string());
        for (const auto &d : sortedEntries(sentences, true))
            classNames.insert(d.filename().string());

        long long done = 0;
        for (const auto &cls : classNames) {
            const int label = builder.classIndex(cls);
            // image stem -> file name
            std::map<std::string, std::string> imageFiles;
            for (const auto &f : sortedEntries(images / cls, false)) {
                const std::string ext = lower(f.extension().string());
                if (kImageExtensions.count(ext))
                    imageFiles.emplace(f.stem().string(), f.filename().string());
                else
                    builder.skip(imageDir + "/" + cls + "/" + f.filename().string(), "not an image file name");
            }
            std::set<std::string> captioned;
            for (const auto &txt : sortedEntries(sentences / cls, false)) {
                builder.tick(progress, "sentence/" + cls, done++, 0);
                const std::string rel = "sentence/" + cls + "/" + txt.filename().string();
                if (lower(txt.extension().string()) != ".txt") {
                    builder.skip(rel, "not a .txt sentence file");
                    continue;
                }
                const std::string stem = txt.stem().string();
                captioned.insert(stem);
                const auto img = imageFiles.find(stem);
                if (img == imageFiles.end()) {
                    builder.skip(rel, "no image " + imageDir + "/" + cls + "/" + stem + ".* for this sentence file");
                    continue;
                }
                // A sentence file comes from the folder listing but is read like a path from a
                // file: a link out of the root is not followed, and a FIFO would block the read.
                std::error_code fec;
                if (!resolvesInside(builder.root(), txt)) {
                    builder.skip(rel, "sentence file leads outside the dataset root through a symbolic link");
                    continue;
                }
                if (!fs::is_regular_file(txt, fec)) {
                    builder.skip(rel, "sentence file is not a regular file");
                    continue;
                }
                const int index =
                    builder.addImage(imageDir + "/" + cls + "/" + img->second, cls + "/" + stem, Split::None, rel);
                if (index < 0)
                    continue;
                builder.addCategory(index, label);
                builder.dataset().images[static_cast<std::size_t>(index)].label = label;
                std::string text;
                try {
                    text = readFile(txt);
                } catch (const Error &e) {
                    builder.skip(rel, e.what());
                    continue;
                }
                if (text.empty()) {
                    builder.skip(rel, "empty sentence file");
                    continue;
                }
                std::istringstream lines(text);
                std::string line;
                for (int n = 1; std::getline(lines, line); ++n) {
                    if (line.find_first_not_of(" \t\r") == std::string::npos)
                        continue; // blank lines separate nothing in this format
                    builder.addCaption(index, line, rel + " line " + std::to_string(n));
                }
            }
            for (const auto &[stem, file] : imageFiles)
                if (!captioned.count(stem))
                    builder.skip(imageDir + "/" + cls + "/" + file,
                                 "no sentence file sentence/" + cls + "/" + stem + ".txt");
        }
        return builder.finish();
    }
};

} // namespace

POISONLAB_DEFINE_PLUGIN(PascalSentencesFormat)
