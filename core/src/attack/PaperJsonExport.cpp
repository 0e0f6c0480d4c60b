#include "poisonlab/core/attack/PaperJsonExport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"

namespace poisonlab::attack {

namespace {

bool inSplit(const data::ImageRecord &image, const std::string &split)
{
    return split == "all" || data::splitName(image.split) == split;
}

} // namespace

nlohmann::json paperRecords(const data::Dataset &dataset, const std::string &split, bool poisonedOnly)
{
    nlohmann::json records = nlohmann::json::array();
    for (const auto &caption : dataset.captions) {
        if (poisonedOnly && !caption.poisoned)
            continue;
        if (caption.image < 0 || static_cast<size_t>(caption.image) >= dataset.images.size())
            continue;
        // A poisoned pair belongs to the split of the caption's own image (the one it came with).
        const int own = caption.poisoned && caption.originalImage >= 0 ? caption.originalImage : caption.image;
        const auto &ownImage = dataset.images.at(own);
        if (!inSplit(ownImage, split))
            continue;
        const auto &image = dataset.images[caption.image];
        const std::string label = ownImage.label >= 0 && static_cast<size_t>(ownImage.label) < dataset.classes.size()
                                      ? dataset.classes[ownImage.label]
                                      : std::string();
        records.push_back({{"image", image.path},
                           {"caption", caption.text},
                           {"image_id", image.sourceId.empty() ? image.path : image.sourceId},
                           {"label", label}});
    }
    return records;
}

void exportPaperJson(const std::filesystem::path &path, const data::Dataset &dataset, const std::string &split,
                     bool poisonedOnly)
{
    writeJsonAtomically(path, paperRecords(dataset, split, poisonedOnly), -1);
}

} // namespace poisonlab::attack
