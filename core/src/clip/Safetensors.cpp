#include "poisonlab/core/clip/Safetensors.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>

namespace poisonlab::clip {
namespace fs = std::filesystem;

namespace {

// The safetensors reference implementation refuses headers above 100 MB; so do we, which also
// keeps a forged header length from allocating gigabytes.
constexpr uint64_t kMaxHeader = 100ull * 1024 * 1024;

struct DtypeInfo {
    const char *name;
    torch::ScalarType type;
    int size;
};

const DtypeInfo kDtypes[] = {
    {"F64", torch::kFloat64, 8},   {"F32", torch::kFloat32, 4}, {"F16", torch::kFloat16, 2},
    {"BF16", torch::kBFloat16, 2}, {"I64", torch::kInt64, 8},   {"I32", torch::kInt32, 4},
    {"I16", torch::kInt16, 2},     {"I8", torch::kInt8, 1},     {"U8", torch::kUInt8, 1},
    {"BOOL", torch::kBool, 1},
};

const DtypeInfo *findDtype(const std::string &name)
{
    for (const auto &d : kDtypes)
        if (name == d.name)
            return &d;
    return nullptr;
}

const DtypeInfo &dtypeOf(torch::ScalarType type)
{
    for (const auto &d : kDtypes)
        if (d.type == type)
            return d;
    throw Error(std::string("safetensors cannot store tensors of type ") + c10::toString(type));
}

} // namespace

Safetensors Safetensors::open(const fs::path &path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw Error(path, fs::exists(path, ec) ? "not a regular file" : "file not found");
    const uint64_t fileSize = fs::file_size(path, ec);
    if (ec)
        throw Error(path, "cannot read its size: " + ec.message());
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path, "cannot open for reading");
    if (fileSize < 8)
        throw Error(path, "not a safetensors file: shorter than its 8-byte header length");
    unsigned char lenBytes[8];
    in.read(reinterpret_cast<char *>(lenBytes), 8);
    uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i)
        headerLen = (headerLen << 8) | lenBytes[i];
    if (headerLen > fileSize - 8)
        throw Error(path, "corrupt safetensors file: header length " + std::to_string(headerLen) +
                              " runs past the end of the file (" + std::to_string(fileSize) + " bytes)");
    if (headerLen > kMaxHeader)
        throw Error(path, "corrupt safetensors file: header of " + std::to_string(headerLen) +
                              " bytes is larger than the 100 MB limit");
    std::string headerText(headerLen, '\0');
    in.read(headerText.data(), static_cast<std::streamsize>(headerLen));
    if (!in)
        throw Error(path, "cannot read the safetensors header");

    nlohmann::json header;
    try {
        header = nlohmann::json::parse(headerText);
    } catch (const nlohmann::json::exception &e) {
        throw Error(path, std::string("corrupt safetensors file: the header is not valid JSON (") + e.what() + ")");
    }
    if (!header.is_object())
        throw Error(path, "corrupt safetensors file: the header is not a JSON object");

    Safetensors st;
    st.m_path = path;
    st.m_dataStart = 8 + headerLen;
    const uint64_t dataSize = fileSize - st.m_dataStart;
    for (const auto &item : header.items()) {
        const std::string &name = item.key();
        const auto &v = item.value();
        if (name == "__metadata__") {
            if (!v.is_object())
                throw Error(path, "corrupt safetensors file: __metadata__ is not an object");
            for (const auto &m : v.items()) {
                if (!m.value().is_string())
                    throw Error(path,
                                "corrupt safetensors file: __metadata__ value \"" + m.key() + "\" is not a string");
                st.m_metadata[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        auto bad = [&](const std::string &why) {
            return Error(path, "corrupt safetensors file: tensor \"" + name + "\": " + why);
        };
        if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets"))
            throw bad("needs dtype, shape and data_offsets");
        if (!v["dtype"].is_string())
            throw bad("dtype is not a string");
        Entry e;
        e.name = name;
        e.dtype = v["dtype"].get<std::string>();
        const DtypeInfo *info = findDtype(e.dtype);
        if (!info)
            throw bad("unknown dtype \"" + e.dtype + "\"");
        if (!v["shape"].is_array())
            throw bad("shape is not a list");
        uint64_t numel = 1;
        for (const auto &d : v["shape"]) {
            if (!d.is_number_unsigned())
                throw bad("shape has a non-integer or negative dimension");
            const uint64_t dim = d.get<uint64_t>();
            if (dim > (1ull << 40) || (dim != 0 && numel > (1ull << 40) / dim))
                throw bad("shape is absurdly large");
            numel *= dim;
            e.shape.push_back(static_cast<int64_t>(dim));
        }
        const auto &offsets = v["data_offsets"];
        if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
            !offsets[1].is_number_unsigned())
            throw bad("data_offsets must be two non-negative integers");
        e.begin = offsets[0].get<uint64_t>();
        e.end = offsets[1].get<uint64_t>();
        if (e.begin > e.end)
            throw bad("data_offsets begin after they end");
        if (e.end > dataSize)
            throw bad("data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                      ") run past the end of the data (" + std::to_string(dataSize) +
                      " bytes; is the file truncated?)");
        if (e.end - e.begin != numel * static_cast<uint64_t>(info->size))
            throw bad("holds " + std::to_string(e.end - e.begin) + " bytes but its shape and dtype need " +
                      std::to_string(numel * info->size));
        st.m_entries.push_back(std::move(e));
    }
    std::sort(st.m_entries.begin(), st.m_entries.end(),
              [](const Entry &a, const Entry &b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
    for (size_t i = 1; i < st.m_entries.size(); ++i) {
        const Entry &prev = st.m_entries[i - 1];
        const Entry &cur = st.m_entries[i];
        if (cur.begin < prev.end)
            throw Error(path, "corrupt safetensors file: the data of tensors \"" + prev.name + "\" and \"" + cur.name +
                                  "\" overlap");
    }
    return st;
}

bool Safetensors::contains(const std::string &name) const
{
    return std::any_of(m_entries.begin(), m_entries.end(), [&](const Entry &e) { return e.name == name; });
}

torch::Tensor Safetensors::read(const std::string &name) const
{
    auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry &e) { return e.name == name; });
    if (it == m_entries.end())
        throw Error(m_path, "no tensor named \"" + name + "\"");
    const DtypeInfo *info = findDtype(it->dtype);
    torch::Tensor t = torch::empty(it->shape, torch::TensorOptions().dtype(info->type));
    const uint64_t bytes = it->end - it->begin;
    if (bytes > 0) {
        std::ifstream in(m_path, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(m_dataStart + it->begin));
        in.read(static_cast<char *>(t.data_ptr()), static_cast<std::streamsize>(bytes));
        if (!in || static_cast<uint64_t>(in.gcount()) != bytes)
            throw Error(m_path, "cannot read the data of tensor \"" + name + "\" (file changed or truncated?)");
    }
    return t;
}

NamedTensors Safetensors::readAll() const
{
    NamedTensors out;
    out.reserve(m_entries.size());
    for (const auto &e : m_entries)
        out.emplace_back(e.name, read(e.name));
    return out;
}

std::string Safetensors::serialize(const NamedTensors &tensors, const std::map<std::string, std::string> &metadata)
{
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    std::vector<torch::Tensor> data;
    uint64_t offset = 0;
    for (const auto &[name, tensor] : tensors) {
        if (name == "__metadata__" || header.contains(name))
            throw Error("cannot write safetensors: duplicate or reserved tensor name \"" + name + "\"");
        torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
        const DtypeInfo &info = dtypeOf(t.scalar_type());
        const uint64_t bytes = static_cast<uint64_t>(t.numel()) * info.size;
        header[name] = {{"dtype", info.name}, {"shape", t.sizes().vec()}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
        data.push_back(t);
    }
    std::string headerText = header.dump();
    // Pad with spaces to 8 bytes, as the reference implementation does, so the data is aligned.
    headerText.append((8 - headerText.size() % 8) % 8, ' ');
    std::string out;
    out.reserve(8 + headerText.size() + offset);
    const uint64_t n = headerText.size();
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
    out += headerText;
    for (const auto &t : data)
        out.append(static_cast<const char *>(t.data_ptr()), t.numel() * t.element_size());
    return out;
}

void Safetensors::write(const fs::path &path, const NamedTensors &tensors,
                        const std::map<std::string, std::string> &metadata)
{
    writeFileAtomically(path, serialize(tensors, metadata));
}

} // namespace poisonlab::clip
