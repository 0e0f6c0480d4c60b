#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace poisonlab::data {

enum class Split : std::uint8_t { None, Train, Val, Test };

std::string_view splitName(Split split);                ///< "none", "train", "val", "test"
std::optional<Split> parseSplit(std::string_view name); ///< also accepts "restval" -> Train, "validation" -> Val

/// One image. Light on purpose: a COCO-sized dataset holds 123k of these.
struct ImageRecord {
    std::string path;     ///< relative to Dataset::root, '/'-separated, never escapes it
    std::string sourceId; ///< the id in the source annotations (COCO id, Flickr file name...)
    int width = 0;        ///< 0 when the annotations do not say
    int height = 0;
    std::vector<int> categories; ///< every class annotated on the image (indices into classes)
    int label = -1;              ///< the one class the paper assigns; -1 when none
    Split split = Split::None;
    /// Which root the path is relative to: 0 = Dataset::root, k > 0 = Dataset::extraRoots[k-1].
    /// Only merged datasets (Flickr30k + PASCAL) have more than one root.
    std::uint16_t root = 0;
};

/// One caption, i.e. one image-caption pair.
struct CaptionRecord {
    int image = -1; ///< index into Dataset::images
    std::string text;
    bool poisoned = false;  ///< set by attacks: the image was swapped
    int originalImage = -1; ///< for poisoned pairs, the image the caption came with
};

/// A file or record that was not imported, and why.
struct SkippedItem {
    std::string where; ///< file path, or file plus record index/id
    std::string reason;
};

/// A dataset in one common form, whatever format it came from.
struct Dataset {
    std::string name;
    std::string format;         ///< the dataset-format plugin id that read it
    std::filesystem::path root; ///< image paths are relative to this
    /// Roots of datasets merged into this one (see mergeDatasets()); ImageRecord::root picks one.
    std::vector<std::filesystem::path> extraRoots;
    std::vector<std::string> classes;
    std::vector<ImageRecord> images;
    std::vector<CaptionRecord> captions;
    std::vector<SkippedItem> skipped;

    std::filesystem::path imagePath(int image) const
    {
        const ImageRecord &r = images.at(image);
        return (r.root == 0 ? root : extraRoots.at(r.root - 1u)) / r.path;
    }
    int classIndex(std::string_view name) const; ///< -1 when unknown
    /// Caption indices per image, built on demand (O(captions)).
    std::vector<std::vector<int>> captionsByImage() const;
};

} // namespace poisonlab::data
