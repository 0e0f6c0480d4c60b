#include "poisonlab/core/data/DatasetBuilder.h"

#include "poisonlab/core/ConfinedPath.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/ImageFileCheck.h"
#include "poisonlab/core/data/JsonPullParser.h"

#include <sys/stat.h>

namespace poisonlab::data {
namespace fs = std::filesystem;

namespace {

constexpr PathRole kImagePath{"image path", "the dataset root"};

std::string trim(std::string s)
{
    const char *ws = " \t\r\n\v\f";
    const auto b = s.find_first_not_of(ws);
    if (b == std::string::npos)
        return {};
    const auto e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

} // namespace

std::string joinRecordPath(std::string_view folder, std::string_view path)
{
    const bool absolute = !path.empty() && (path.front() == '/' || path.front() == '\\' ||
                                            (path.size() > 2 && path[1] == ':' && (path[2] == '/' || path[2] == '\\')));
    if (absolute || folder.empty())
        return std::string(path);
    return std::string(folder) + "/" + std::string(path);
}

ImportOptions ImportOptions::fromJson(const nlohmann::json &o)
{
    ImportOptions out;
    if (!o.is_object())
        return out;
    if (auto it = o.find("checkFiles"); it != o.end()) {
        if (!it->is_boolean())
            throw Error("dataset option \"checkFiles\" must be true or false");
        out.checkFiles = it->get<bool>();
    }
    if (auto it = o.find("seed"); it != o.end()) {
        if (!it->is_number_integer())
            throw Error("dataset option \"seed\" must be an integer");
        out.seed = static_cast<std::uint64_t>(it->get<long long>());
    }
    if (auto it = o.find("imageDir"); it != o.end()) {
        if (!it->is_string())
            throw Error("dataset option \"imageDir\" must be a string");
        out.imageDir = it->get<std::string>();
    }
    return out;
}

DatasetBuilder::DatasetBuilder(std::string format, fs::path root, const nlohmann::json &options)
    : m_options(ImportOptions::fromJson(options))
{
    m_dataset.format = std::move(format);
    std::error_code ec;
    fs::path abs = fs::absolute(root, ec);
    m_dataset.root = (ec ? root : abs).lexically_normal();
    m_dataset.name = m_dataset.root.filename().string();
    if (m_dataset.name.empty())
        m_dataset.name = m_dataset.root.parent_path().filename().string();
}

int DatasetBuilder::findImage(std::string_view normalisedPath) const
{
    const auto it = m_imageByPath.find(std::string(normalisedPath));
    return it == m_imageByPath.end() ? -1 : it->second;
}

int DatasetBuilder::addImage(std::string_view relative, std::string_view sourceId, Split split, std::string_view where)
{
    // Symbolic links are only followed (and checked) when the file system is consulted at all;
    // DatasetImageSource checks them again before it reads an image.
    std::optional<std::string> path(std::in_place);
    if (auto reason = pathEscapeProblem(m_dataset.root, relative, false, kImagePath, &*path)) {
        skip(std::string(where) + ": " + std::string(relative), *reason);
        return -1;
    }
    if (const int found = findImage(*path); found >= 0)
        return found;
    if (const auto rejected = m_rejectedPaths.find(*path); rejected != m_rejectedPaths.end())
        return -1; // reported the first time
    if (m_options.checkFiles) {
        const fs::path full = m_dataset.root / *path;
        std::optional<std::string> problem;
        if (!resolvesInside(m_dataset.root, full))
            problem = "image path leads outside the dataset root through a symbolic link";
        else
            problem = imageFileProblem(full);
        if (problem) {
            m_rejectedPaths.emplace(*path, *problem);
            skip(*path, *problem);
            return -1;
        }
    }
    ImageRecord record;
    record.path = *path;
    record.sourceId = std::string(sourceId);
    record.split = split;
    m_dataset.images.push_back(std::move(record));
    const int index = static_cast<int>(m_dataset.images.size()) - 1;
    m_imageByPath.emplace(*path, index);
    return index;
}

bool DatasetBuilder::addCaption(int image, std::string text, std::string_view where)
{
    if (!isValidUtf8(text)) {
        skip(std::string(where), "caption is not valid UTF-8");
        return false;
    }
    text = trim(std::move(text));
    if (text.empty()) {
        skip(std::string(where), "empty caption");
        return false;
    }
    CaptionRecord c;
    c.image = image;
    c.text = std::move(text);
    m_dataset.captions.push_back(std::move(c));
    return true;
}

int DatasetBuilder::classIndex(const std::string &name)
{
    if (auto it = m_classByName.find(name); it != m_classByName.end())
        return it->second;
    m_dataset.classes.push_back(name);
    const int index = static_cast<int>(m_dataset.classes.size()) - 1;
    m_classByName.emplace(name, index);
    return index;
}

void DatasetBuilder::addCategory(int image, int category)
{
    auto &cats = m_dataset.images.at(static_cast<std::size_t>(image)).categories;
    for (int c : cats)
        if (c == category)
            return;
    cats.push_back(category);
}

void DatasetBuilder::skip(std::string where, std::string reason)
{
    m_dataset.skipped.push_back({std::move(where), std::move(reason)});
}

void DatasetBuilder::tick(ProgressReporter &progress, const std::string &what, long long done, long long total)
{
    if ((m_ticks++ & 4095) != 0)
        return;
    progress.throwIfCancelled();
    ProgressEvent e;
    e.stage = "import";
    e.done = done;
    e.total = total;
    e.message = what;
    progress.report(e);
}

void DatasetBuilder::readRecords(JsonPullParser &json, ProgressReporter &progress, const std::string &file,
                                 const std::string &arrayName, const std::string &notArray,
                                 const std::string &notObject,
                                 const std::function<void(long long index, const std::string &where)> &record)
{
    if (json.peek() != JsonPullParser::Type::Array)
        json.fail(notArray);
    const std::string prefix = file + " " + arrayName + "[";
    json.beginArray();
    for (long long i = 0; json.nextElement(); ++i) {
        tick(progress, file, static_cast<long long>(json.offset()), static_cast<long long>(json.fileSize()));
        const std::string where = prefix + std::to_string(i) + "]";
        if (json.peek() != JsonPullParser::Type::Object) {
            json.skipValue();
            skip(where, notObject);
            continue;
        }
        record(i, where);
    }
}

Dataset DatasetBuilder::finish()
{
    std::vector<char> hasCaption(m_dataset.images.size(), 0);
    for (const auto &c : m_dataset.captions)
        hasCaption[static_cast<std::size_t>(c.image)] = 1;
    bool all = true;
    for (char h : hasCaption)
        all = all && h;
    if (!all) {
        std::vector<int> remap(m_dataset.images.size(), -1);
        std::vector<ImageRecord> kept;
        kept.reserve(m_dataset.images.size());
        for (std::size_t i = 0; i < m_dataset.images.size(); ++i) {
            if (!hasCaption[i]) {
                skip(m_dataset.images[i].path, "image has no usable caption");
                continue;
            }
            remap[i] = static_cast<int>(kept.size());
            kept.push_back(std::move(m_dataset.images[i]));
        }
        m_dataset.images = std::move(kept);
        for (auto &c : m_dataset.captions)
            c.image = remap[static_cast<std::size_t>(c.image)];
    }
    m_imageByPath.clear();
    return std::move(m_dataset);
}

} // namespace poisonlab::data
