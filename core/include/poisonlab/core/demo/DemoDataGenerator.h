#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace poisonlab {
class ProgressReporter;
}

namespace poisonlab::demo {

/// The three offline demo datasets.
enum class DemoKind {
    Pascal, ///< Emoji-PASCAL: PASCAL-sentences layout, 20 VOC classes, 5 captions per image
    Coco,   ///< Emoji-COCO: COCO 2017 captions + instances files, multi-object scenes
    Web,    ///< Emoji-Web: a large pool of image,caption pairs (CSV) for pre-training
};

std::string demoKindName(DemoKind kind); ///< "pascal", "coco", "web"
std::optional<DemoKind> parseDemoKind(std::string_view name);

struct DemoDataOptions {
    DemoKind kind = DemoKind::Pascal;
    std::filesystem::path out;
    std::uint64_t seed = 1;
    int images = 0;                  ///< pascal: per class; coco, web: in total; 0 = defaultImages(kind)
    int imageSize = 128;             ///< width and height in pixels
    std::string imageFormat = "png"; ///< "png" (compression level 1) or "jpg" (quality 90)
    std::filesystem::path fontPath;  ///< empty: EmojiFont::defaultPath()
};

struct DemoDataSummary {
    DemoKind kind = DemoKind::Pascal;
    std::filesystem::path out;
    int images = 0;
    int captions = 0;
    int objects = 0;                           ///< objects drawn (COCO: annotations)
    int classes = 0;                           ///< classes (COCO categories) of the dataset
    std::map<std::string, int> imagesPerClass; ///< by the image's label / COCO primary category
    double seconds = 0;
};

/// Writes one demo dataset into options.out: images, annotations in the real format of its kind,
/// demo-manifest.json (kind, seed, counts, generator version, per-image facts and captions) and
/// finally the `.complete` marker. The same options give byte-identical files. A folder that
/// is not empty must already hold demo data (it is then regenerated); anything else is refused.
class DemoDataGenerator {
public:
    static constexpr int kGeneratorVersion = 2; ///< 2: backgrounds follow the class's habitats
    static int defaultImages(DemoKind kind);    ///< pascal 50 (per class), coco 1000, web 20000

    explicit DemoDataGenerator(DemoDataOptions options);

    /// Throws poisonlab::Error for bad options (sizes, format) naming the problem.
    static void validate(const DemoDataOptions &options);
    /// Creates `out` if needed and checks it can be written and holds nothing but demo data;
    /// throws poisonlab::Error naming the folder and the problem. Changes nothing else.
    static void checkOutputFolder(const std::filesystem::path &out);

    /// True when `options.out` holds complete demo data written by this generator version for
    /// the same kind, seed, image count, size and format (its `.complete` marker says so);
    /// anything else (an older version's data, another count) is outdated.
    static bool isUpToDate(const DemoDataOptions &options);

    /// Generates everything. Polls `progress` between images: a cancelled run throws
    /// CancelledError and leaves no `.complete` marker. Throws poisonlab::Error on failure.
    DemoDataSummary run(ProgressReporter &progress);

private:
    DemoDataOptions m_options;
};

} // namespace poisonlab::demo
