// Users' own data: a header row, then image,caption[,label][,split] (any column order).
// Comma- or tab-separated (.tsv, or a header with tabs and no commas); RFC 4180 quoting, so
// captions may hold commas, quotes ("") and line breaks.
#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/DatasetBuilder.h"
#include "poisonlab/core/plugin/DatasetFormatPlugin.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

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

// The file read through std::filebuf's small buffer, byte by byte: a CSV of any size is never
// held whole (a 2 GB export needs no 2 GB beside the dataset it becomes).
class CsvInput {
public:
    explicit CsvInput(const fs::path &file) : m_file(file)
    {
        std::error_code ec;
        if (!fs::exists(file, ec))
            throw Error(file, "file not found");
        if (fs::is_directory(file, ec))
            throw Error(file, "is a folder, expected a file");
        if (!m_buffer.open(file, std::ios::in | std::ios::binary))
            throw Error(file, std::string("cannot open: ") + std::strerror(errno));
        m_size = fs::file_size(file, ec);
        if (ec)
            m_size = 0;
    }

    int peek()
    {
        const auto c = m_buffer.sgetc();
        return c == std::char_traits<char>::eof() ? -1 : static_cast<unsigned char>(c);
    }
    int get()
    {
        const auto c = m_buffer.sbumpc();
        if (c == std::char_traits<char>::eof()) {
            // filebuf says "end" for a read error too: a regular file that ends before its size did
            // not end, it failed (a disk error, or the file cut while it was read).
            if (m_offset < m_size)
                throw Error(m_file, "read failed after " + std::to_string(m_offset) + " of " + std::to_string(m_size) +
                                        " bytes");
            return -1;
        }
        ++m_offset;
        return static_cast<unsigned char>(c);
    }
    /// Up to `limit` bytes of the first line, then back to the start (for the separator's guess).
    std::string firstLine(std::size_t limit)
    {
        std::string line;
        for (int c = get(); c >= 0 && c != '\n' && line.size() < limit; c = get())
            line.push_back(static_cast<char>(c));
        rewind();
        return line;
    }
    void skipByteOrderMark()
    {
        for (const unsigned char b : {0xEFu, 0xBBu, 0xBFu}) {
            if (peek() != static_cast<int>(b)) {
                rewind(); // not a mark: nothing of it is skipped
                return;
            }
            get();
        }
    }
    std::uint64_t offset() const { return m_offset; }
    std::uint64_t size() const { return m_size; }

private:
    void rewind()
    {
        if (m_buffer.pubseekpos(0, std::ios::in) != std::streampos(0))
            throw Error(m_file, "cannot be read again from its start (not a regular file?)");
        m_offset = 0;
    }

    fs::path m_file;
    std::filebuf m_buffer;
    std::uint64_t m_offset = 0;
    std::uint64_t m_size = 0;
};

// Reads the next record; returns false at end of input. `line` is advanced by the line breaks
// consumed; `error` is set for an unterminated quote.
bool nextRecord(CsvInput &in, char sep, std::vector<std::string> &fields, long long &line, std::string &error)
{
    fields.clear();
    if (in.peek() < 0)
        return false;
    std::string field;
    bool quoted = false, wasQuoted = false;
    for (int next = in.get(); next >= 0; next = in.get()) {
        const char c = static_cast<char>(next);
        if (quoted) {
            if (c == '"') {
                if (in.peek() == '"') {
                    field.push_back('"');
                    in.get();
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
        CsvInput text(file);
        const std::string name = file.filename().string();
        std::string header = text.firstLine(64 * 1024);
        if (header.rfind("\xEF\xBB\xBF", 0) == 0)
            header.erase(0, 3);
        text.skipByteOrderMark(); // UTF-8's, from spreadsheet exports
        char sep = ',';
        if (lower(file.extension().string()) == ".tsv" ||
            (header.find('\t') != std::string::npos && header.find(',') == std::string::npos))
            sep = '\t';

        long long line = 1;
        std::vector<std::string> fields;
        std::string error;
        if (!nextRecord(text, sep, fields, line, error))
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
            if (!nextRecord(text, sep, fields, line, error))
                break;
            builder.tick(progress, name, static_cast<long long>(text.offset()), static_cast<long long>(text.size()));
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
