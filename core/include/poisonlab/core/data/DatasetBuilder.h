#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/data/Dataset.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace poisonlab::data {

class JsonPullParser;

/// `folder` + "/" + `path` for an image path read from a record, except that an absolute `path`
/// is returned unchanged (so addImage() rejects it rather than hiding it under the folder).
std::string joinRecordPath(std::string_view folder, std::string_view path);

/// Import options every dataset-format plugin understands, read from DatasetSource::options:
///   "checkFiles" (bool, default true): check each image exists and is a complete image file;
///       false measures parsing alone (the scale benchmark) or opens annotations without images.
///   "seed" (integer, default 0): for seeded choices such as COCO's label.
///   "imageDir" (string): the images folder relative to the root, when the format's usual
///       location does not apply.
struct ImportOptions {
    bool checkFiles = true;
    std::uint64_t seed = 0;
    std::string imageDir;
    static ImportOptions fromJson(const nlohmann::json &options);
};

/// The shared part of every importer: builds a Dataset while checking image paths (inside the
/// root, file present and an image), de-duplicating images by path, interning class names,
/// checking captions (non-empty, UTF-8) and recording everything skipped with its reason.
class DatasetBuilder {
public:
    DatasetBuilder(std::string format, std::filesystem::path root, const nlohmann::json &options);

    const ImportOptions &options() const { return m_options; }
    const std::filesystem::path &root() const { return m_dataset.root; }
    Dataset &dataset() { return m_dataset; }

    /// Adds (or finds, by path) an image. `relative` is checked with pathEscapeProblem()
    /// (ConfinedPath.h; symbolic links followed with checkFiles) and, with checkFiles,
    /// imageFileProblem(); a bad one is skipped (reason recorded under `where`,
    /// once per path) and -1 returned.
    int addImage(std::string_view relative, std::string_view sourceId, Split split, std::string_view where);
    /// The image already added under this normalised path, or -1.
    int findImage(std::string_view normalisedPath) const;

    /// Adds a caption to `image`; skips (recording why) empty or non-UTF-8 text. Returns false
    /// when skipped. Leading/trailing whitespace is trimmed.
    bool addCaption(int image, std::string text, std::string_view where);

    /// The index of class `name`, added when new.
    int classIndex(const std::string &name);
    /// Adds `category` to the image's categories (once).
    void addCategory(int image, int category);

    void skip(std::string where, std::string reason);

    /// Reports progress ("import: <what>") every 4096 calls and throws CancelledError once
    /// cancelled; importers call it once per record.
    void tick(ProgressReporter &progress, const std::string &what, long long done, long long total);

    /// Reads the JSON array at the parser's position one record at a time, as the JSON importers
    /// do: a value that is not an array fails the file with `notArray`; each element ticks the
    /// progress and is located as "<file> <arrayName>[i]" ("<file> [i]" for an empty name); one
    /// that is not an object is skipped with the reason `notObject`; for an object,
    /// `record(i, where)` is called with the parser before its '{'.
    void readRecords(JsonPullParser &json, ProgressReporter &progress, const std::string &file,
                     const std::string &arrayName, const std::string &notArray, const std::string &notObject,
                     const std::function<void(long long index, const std::string &where)> &record);

    /// Drops images that ended with no caption (recording why) and hands the dataset over.
    Dataset finish();

private:
    ImportOptions m_options;
    Dataset m_dataset;
    std::unordered_map<std::string, int> m_imageByPath;
    std::unordered_map<std::string, std::string> m_rejectedPaths; // path -> reason, reported once
    std::unordered_map<std::string, int> m_classByName;
    long long m_ticks = 0;
};

} // namespace poisonlab::data
