#pragma once

#include "poisonlab/core/demo/EmojiClass.h"
#include "poisonlab/core/demo/SceneComposer.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace poisonlab::demo {

/// Internal to the demo generator: lays one dataset out on disk in the real format of its kind.
/// add() writes the image at once and keeps the annotations; finish() writes the annotation
/// files atomically.
class DemoDatasetWriter {
public:
    DemoDatasetWriter(std::filesystem::path root, std::string imageFormat, std::vector<EmojiClass> classes);
    virtual ~DemoDatasetWriter();

    /// `index` runs from 0; `split` is "train" or "val". Returns the image path relative to root.
    virtual std::string add(int index, const std::string &split, const Scene &scene,
                            const std::vector<std::string> &captions) = 0;
    virtual void finish() = 0;

    static std::unique_ptr<DemoDatasetWriter> pascalSentences(std::filesystem::path root, std::string imageFormat,
                                                              std::vector<EmojiClass> classes);
    static std::unique_ptr<DemoDatasetWriter> coco(std::filesystem::path root, std::string imageFormat,
                                                   std::vector<EmojiClass> classes, std::uint64_t seed);
    static std::unique_ptr<DemoDatasetWriter> webPool(std::filesystem::path root, std::string imageFormat,
                                                      std::vector<EmojiClass> classes);

protected:
    /// Encodes and writes `image` to root/relativeStem + "." + format; returns the relative path.
    std::string writeImage(const std::string &relativeStem, const cv::Mat &image) const;
    /// Writes a small file through a temporary name and a rename, without the fsync of
    /// writeFileAtomically(): a thousand fsyncs cost ~25 s here. The generator syncs the whole
    /// folder once before it writes `.complete`.
    static void writeWithoutSync(const std::filesystem::path &path, std::string_view bytes);

    std::filesystem::path m_root;
    std::string m_format;
    std::vector<EmojiClass> m_classes;
};

} // namespace poisonlab::demo
