// Users' own data: a header row, then image,caption[,label][,split] (any column order).
// Comma- or tab-separated (.tsv, or a header with tabs and no commas); RFC 4180 quoting, so
// captions may hold commas, quotes ("") and line breaks.
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/DatasetBuilder.h"
#include "poisonlab/core/plugin/DatasetFormatPlugin.h"

#include <algorithm>

namespace {
namespace fs = std::filesystem;
using namespace poisonlab;
using namespace poisonlab::data;

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trimmed(const std::string &s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Reads one record starting at `pos`; returns false at end of text. `line` is advanced by the
// line breaks consumed; `error` is set for an unterminated quote.
bool nextRecord(const std::string &text, std::size_t &pos, char sep, std::vector<std::string> &fields, long long &line,
                std::string &error)
{
    fields.clear();
    if (pos >= text.size())
        return false;
    std::string field;
    bool quoted = false, wasQuoted = false;
    while (pos < text.size()) {
        const char c = text[pos++];
        if (quoted) {
            if (c == '"') {
                if (pos < text.size() && text[pos] == '"') {
                    field.push_back('"');
                    ++pos;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n')
                    ++line;
                field.push_back(c);
            }
            continue;
        }
        if (c == '"' && trimmed(field).empty() && !wasQuoted) {
            quoted = wasQuoted = true;
            field.clear();
        } else if (c == sep) {
            fields.push_back(std::move(field));
            field.clear();
            wasQuoted = false;
        } else if (c == '\n') {
            ++line;
            break;
        } else if (c != '\r') {
            field.push_back(c);
        }
    }
    if (quoted)
        error = "unterminated quoted field";
    fields.push_back(std::move(field));
    return true;
}

class CsvFormat final : public plugin::DatasetFormatPlugin {
public:
    Dataset read(const DatasetSource &source, ProgressReporter &progress) override
    {
        const auto files = annotationFiles(
            source,
            [](const std::string &n) {
                const std::string l = lower(n);
                return l.size() > 4 && (l.substr(l.size() - 4) == ".csv" || l.substr(l.size() - 4) == ".tsv");
            },
            "CSV/TSV file (*.csv, *.tsv)");
        DatasetBuilder builder(metadata().id, source.root, source.options);
        for (const auto &f : files)
            readFile(f, builder, progress);
        return builder.finish();
    }

private:
    static void readFile(const fs::path &file, DatasetBuilder &builder, ProgressReporter &progress)
    {
        std::string text = poisonlab::readFile(file);
        if (text.rfind("\xEF\xBB\xBF", 0) == 0)
            text.erase(0, 3); // UTF-8 byte order mark (spreadsheet exports)
        const std::string name = file.filename().string();
        const std::string header = text.substr(0, text.find('\n'));
        char sep = ',';
        if (lower(file.extension().string()) == ".tsv" ||
            (header.find('\t') != std::string::npos && header.find(',') == std::string::npos))
            sep = '\t';

        std::size_t pos = 0;
        long long line = 1;
        std::vector<std::string> fields;
        std::string error;
        if (!nextRecord(text, pos, sep, fields, line, error))
            throw Error(file, "empty file: expected a header row such as image,caption,label,split");
        int colImage = -1, colCaption = -1, colLabel = -1, colSplit = -1;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const std::string h = lower(trimmed(fields[i]));
            const int c = static_cast<int>(i);
            if (h == "image" || h == "filename" || h == "file_name" || h == "path" || h == "image_path" || h == "file")
                colImage = c;
            else if (h == "caption" || h == "text" || h == "sentence")
                colCaption = c;
            else if (h == "label" || h == "class" || h == "category")
                colLabel = c;
            else if (h == "split")
                colSplit = c;
        }
        if (colImage < 0 || colCaption < 0)
            throw Error(file,
                        "line 1: the header must name an \"image\" and a \"caption\" column (found: " + header + ")");
        const std::size_t columns = fields.size();
        while (true) {
            const long long startLine = line;
            error.clear();
            if (!nextRecord(text, pos, sep, fields, line, error))
                break;
            builder.tick(progress, name, static_cast<long long>(pos), static_cast<long long>(text.size()));
            const std::string where = name + " line " + std::to_string(startLine);
            if (fields.size() == 1 && trimmed(fields[0]).empty())
                continue; // blank line
            if (!error.empty()) {
                builder.skip(where, error);
                continue;
            }
            if (fields.size() != columns) {
                builder.skip(where,
                             "expected " + std::to_string(columns) + " fields, found " + std::to_string(fields.size()));
                continue;
            }
            Split split = Split::None;
            if (colSplit >= 0) {
                const auto parsed = parseSplit(lower(trimmed(fields[static_cast<std::size_t>(colSplit)])));
                if (!parsed) {
                    builder.skip(where, "unknown split \"" + fields[static_cast<std::size_t>(colSplit)] +
                                            "\" (expected train, val, test or empty)");
                    continue;
                }
                split = *parsed;
            }
            const std::string image = trimmed(fields[static_cast<std::size_t>(colImage)]);
            const int index = builder.addImage(image, image, split, where);
            if (index < 0)
                continue;
            ImageRecord &img = builder.dataset().images[static_cast<std::size_t>(index)];
            if (img.split != split && split != Split::None)
                builder.skip(where, "split differs from an earlier row of the same image; the first is kept");
            if (colLabel >= 0) {
                const std::string labelName = trimmed(fields[static_cast<std::size_t>(colLabel)]);
                if (!labelName.empty()) {
                    const int label = builder.classIndex(labelName);
                    if (builder.dataset().images[static_cast<std::size_t>(index)].label >= 0 &&
                        builder.dataset().images[static_cast<std::size_t>(index)].label != label)
                        builder.skip(where, "label differs from an earlier row of the same image; the first is kept");
                    else
                        builder.dataset().images[static_cast<std::size_t>(index)].label = label;
                    builder.addCategory(index, label);
                }
            }
            builder.addCaption(index, fields[static_cast<std::size_t>(colCaption)], where);
        }
    }
};

} // namespace

POISONLAB_DEFINE_PLUGIN(CsvFormat)
