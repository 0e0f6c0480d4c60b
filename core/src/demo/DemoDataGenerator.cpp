#include "poisonlab/core/demo/DemoDataGenerator.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Progress.h"
#include "poisonlab/core/Rng.h"
#include "poisonlab/core/demo/CaptionGrammar.h"
#include "poisonlab/core/demo/DemoDatasetWriter.h"
#include "poisonlab/core/demo/EmojiCatalog.h"
#include "poisonlab/core/demo/EmojiFont.h"
#include "poisonlab/core/demo/SceneComposer.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <unistd.h>

namespace poisonlab::demo {
namespace fs = std::filesystem;

namespace {

constexpr const char *kInProgressMarker = ".demo-in-progress";
constexpr const char *kCompleteMarker = ".complete";
constexpr const char *kManifest = "demo-manifest.json";
// What a previous run of any kind may have left; only these are removed before regenerating.
const char *const kGeneratedEntries[] = {"dataset", "sentence",     "annotations", "train2017",    "val2017",
                                         "images",  "captions.csv", kManifest,     kCompleteMarker};

bool holdsDemoData(const fs::path &out)
{
    std::error_code ec;
    return fs::exists(out / kInProgressMarker, ec) || fs::exists(out / kCompleteMarker, ec) ||
           fs::exists(out / kManifest, ec);
}

std::string markerPrefix(const DemoDataOptions &o)
{
    return "poisonlab demo-data " + demoKindName(o.kind) + " seed " + std::to_string(o.seed) + " ";
}

// What was asked for, as the marker's last words: data of another size, count or generator
// version are outdated for this request.
std::string markerSuffix(const DemoDataOptions &o)
{
    const int requested = o.images > 0 ? o.images : DemoDataGenerator::defaultImages(o.kind);
    return " generator " + std::to_string(DemoDataGenerator::kGeneratorVersion) + " request " +
           std::to_string(requested) + " " + std::to_string(o.imageSize) + "px " + o.imageFormat;
}

} // namespace

bool DemoDataGenerator::isUpToDate(const DemoDataOptions &options)
{
    std::ifstream in(options.out / kCompleteMarker);
    std::string line;
    if (!std::getline(in, line))
        return false;
    const std::string suffix = markerSuffix(options);
    return line.rfind(markerPrefix(options), 0) == 0 && line.size() >= suffix.size() &&
           line.compare(line.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string demoKindName(DemoKind kind)
{
    switch (kind) {
    case DemoKind::Pascal:
        return "pascal";
    case DemoKind::Coco:
        return "coco";
    case DemoKind::Web:
        return "web";
    }
    return "?";
}

std::optional<DemoKind> parseDemoKind(std::string_view name)
{
    for (DemoKind k : {DemoKind::Pascal, DemoKind::Coco, DemoKind::Web})
        if (demoKindName(k) == name)
            return k;
    return std::nullopt;
}

int DemoDataGenerator::defaultImages(DemoKind kind)
{
    switch (kind) {
    case DemoKind::Pascal:
        return 50;
    case DemoKind::Coco:
        return 1000;
    case DemoKind::Web:
        return 20000;
    }
    return 0;
}

DemoDataGenerator::DemoDataGenerator(DemoDataOptions options) : m_options(std::move(options))
{
    if (m_options.images == 0)
        m_options.images = defaultImages(m_options.kind);
}

void DemoDataGenerator::validate(const DemoDataOptions &o)
{
    if (o.images < 0)
        throw Error("the number of images must be positive, got " + std::to_string(o.images));
    if (o.images > 10'000'000)
        throw Error("the number of images is too large: " + std::to_string(o.images));
    if (o.imageSize < 32 || o.imageSize > 2048)
        throw Error("the image size must be between 32 and 2048 pixels, got " + std::to_string(o.imageSize));
    if (o.imageFormat != "png" && o.imageFormat != "jpg")
        throw Error("unknown image format '" + o.imageFormat + "' (expected png or jpg)");
    if (o.out.empty())
        throw Error("no output folder given");
}

void DemoDataGenerator::checkOutputFolder(const fs::path &out)
{
    std::error_code ec;
    if (fs::exists(out, ec) && !fs::is_directory(out, ec))
        throw Error(out, "exists and is not a folder");
    fs::create_directories(out, ec);
    if (ec)
        throw Error(out, "cannot create the output folder: " + ec.message());
    if (!fs::is_empty(out, ec) && !holdsDemoData(out))
        throw Error(out, "the folder is not empty and holds no PoisonLab demo data; choose an empty or new "
                         "folder (nothing was changed)");
    if (::access(out.c_str(), W_OK | X_OK) != 0)
        throw Error(out, std::string("cannot write into the output folder: ") + std::strerror(errno));
}

DemoDataSummary DemoDataGenerator::run(ProgressReporter &progress)
{
    const auto started = std::chrono::steady_clock::now();
    const DemoDataOptions &o = m_options;
    validate(o);
    checkOutputFolder(o.out);

    EmojiFont font(o.fontPath);
    const std::vector<EmojiClass> classes =
        EmojiCatalog::availableIn(o.kind == DemoKind::Pascal ? EmojiCatalog::pascal() : EmojiCatalog::coco(), font);
    if (classes.empty())
        throw Error(font.path(), "has none of the demo classes' emoji");
    SceneOptions sceneOptions;
    sceneOptions.width = sceneOptions.height = o.imageSize;
    const SceneComposer composer(font, classes, sceneOptions);
    const CaptionGrammar grammar(classes);

    // Clear what an earlier run left, then mark the folder as being written.
    for (const char *entry : kGeneratedEntries) {
        std::error_code ec;
        fs::remove_all(o.out / entry, ec);
        if (ec)
            throw Error(o.out / entry, "cannot remove the previous demo data: " + ec.message());
    }
    {
        std::ofstream marker(o.out / kInProgressMarker);
        marker << "kind " << demoKindName(o.kind) << ", seed " << o.seed << "\n";
        if (!marker)
            throw Error(o.out / kInProgressMarker, std::string("cannot write: ") + std::strerror(errno));
    }

    std::unique_ptr<DemoDatasetWriter> writer;
    int total = o.images;
    int captionsPerImage = 5;
    switch (o.kind) {
    case DemoKind::Pascal:
        writer = DemoDatasetWriter::pascalSentences(o.out, o.imageFormat, classes);
        total = o.images * int(classes.size());
        break;
    case DemoKind::Coco:
        writer = DemoDatasetWriter::coco(o.out, o.imageFormat, classes, o.seed);
        break;
    case DemoKind::Web:
        writer = DemoDatasetWriter::webPool(o.out, o.imageFormat, classes);
        captionsPerImage = 1;
        break;
    }

    DemoDataSummary summary;
    summary.kind = o.kind;
    summary.out = o.out;
    summary.classes = int(classes.size());
    nlohmann::json images = nlohmann::json::array();
    const int K = int(classes.size());
    const long long every = std::max(1, total / 100);
    spdlog::info("demo data: writing {} {} images of {} classes to {}", total, demoKindName(o.kind), K, o.out.string());
    for (int i = 0; i < total; ++i) {
        progress.throwIfCancelled();
        // Each image has its own stream, so an image does not depend on the ones before it.
        Rng rng = Rng::derive(o.seed, (std::uint64_t(o.kind) << 40) + std::uint64_t(i));
        std::string split = "train";
        Scene scene;
        if (o.kind == DemoKind::Pascal) {
            scene = composer.composeSingleClass(i / o.images, rng); // class by class, like the folders
            split = "none";
        } else if (o.kind == DemoKind::Coco) {
            scene = composer.composeMultiClass(i % K, rng);
            split = (i % 10 == 9) ? "val" : "train";
        } else {
            scene = composer.composeSingleClass(i % K, rng);
            split = (i % 20 == 19) ? "val" : "train";
        }
        const std::vector<std::string> captions = grammar.captions(scene.facts, rng, captionsPerImage);
        const std::string file = writer->add(i, split == "none" ? "train" : split, scene, captions);

        nlohmann::json entry = toJson(scene.facts);
        entry["file"] = file;
        if (split != "none")
            entry["split"] = split;
        entry["label"] = classes[scene.facts.label].name;
        entry["captions"] = captions;
        images.push_back(std::move(entry));
        ++summary.images;
        summary.captions += int(captions.size());
        summary.objects += int(scene.facts.objects.size());
        ++summary.imagesPerClass[classes[scene.facts.label].name];
        if ((i + 1) % every == 0 || i + 1 == total)
            progress.report({"demo-data", i + 1, total, file, {}});
    }
    progress.throwIfCancelled();
    writer->finish();

    nlohmann::json classList = nlohmann::json::array();
    for (const EmojiClass &c : classes) {
        nlohmann::json variants = nlohmann::json::array();
        for (const EmojiVariant &v : c.variants)
            variants.push_back({{"codepoint", EmojiCatalog::codepointLabel(v.codepoint)}, {"name", v.name}});
        nlohmann::json jc{{"name", c.name}, {"singular", c.singular}, {"plural", c.plural}, {"variants", variants}};
        if (c.cocoId > 0) {
            jc["cocoId"] = c.cocoId;
            jc["supercategory"] = c.supercategory;
        }
        classList.push_back(std::move(jc));
    }
    const nlohmann::json manifest{{"generator", "poisonlab demo-data"},
                                  {"generatorVersion", kGeneratorVersion},
                                  {"kind", demoKindName(o.kind)},
                                  {"seed", o.seed},
                                  {"imageSize", {o.imageSize, o.imageSize}},
                                  {"imageFormat", o.imageFormat},
                                  {"font", font.path().filename().string()},
                                  {"counts",
                                   {{"images", summary.images},
                                    {"captions", summary.captions},
                                    {"objects", summary.objects},
                                    {"classes", K},
                                    {"imagesPerClass", summary.imagesPerClass}}},
                                  {"classes", classList},
                                  {"images", images}};
    writeJsonAtomically(o.out / kManifest, manifest, 1);

    // One sync for the thousands of images and sentence files, before the marker says "done".
    if (const int fd = ::open(o.out.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
        ::syncfs(fd);
        ::close(fd);
    }
    std::error_code ec;
    fs::remove(o.out / kInProgressMarker, ec);
    writeFileAtomically(o.out / kCompleteMarker,
                        markerPrefix(o) + "images " + std::to_string(summary.images) + markerSuffix(o) + "\n");
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    spdlog::info("demo data: {} images, {} captions in {:.1f} s", summary.images, summary.captions, summary.seconds);
    return summary;
}

} // namespace poisonlab::demo
