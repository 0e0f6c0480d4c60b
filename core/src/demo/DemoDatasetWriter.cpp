#include "poisonlab/core/demo/DemoDatasetWriter.h"

#include "poisonlab/core/Error.h"

#include <opencv2/imgcodecs.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace poisonlab::demo {
namespace fs = std::filesystem;

DemoDatasetWriter::DemoDatasetWriter(fs::path root, std::string imageFormat, std::vector<EmojiClass> classes)
    : m_root(std::move(root)), m_format(std::move(imageFormat)), m_classes(std::move(classes))
{
}

DemoDatasetWriter::~DemoDatasetWriter() = default;

void DemoDatasetWriter::writeWithoutSync(const fs::path &path, std::string_view bytes)
{
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec)
        throw Error(path.parent_path(), "cannot create folder: " + ec.message());
    fs::path tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (out)
            out.write(bytes.data(), std::streamsize(bytes.size()));
        if (!out)
            throw Error(path, std::string("cannot write: ") + std::strerror(errno));
    }
    fs::rename(tmp, path, ec);
    if (ec)
        throw Error(path, "cannot replace file: " + ec.message());
}

std::string DemoDatasetWriter::writeImage(const std::string &relativeStem, const cv::Mat &image) const
{
    const std::string relative = relativeStem + "." + m_format;
    const fs::path path = m_root / relative;
    std::vector<uchar> bytes;
    const std::vector<int> params = m_format == "png" ? std::vector<int>{cv::IMWRITE_PNG_COMPRESSION, 1}
                                                      : std::vector<int>{cv::IMWRITE_JPEG_QUALITY, 90};
    if (!cv::imencode("." + m_format, image, bytes, params))
        throw Error(path, "cannot encode the image as " + m_format);
    // No fsync per image (20,000 of them would take minutes): the folder only counts as
    // finished once it is synced and `.complete` is written after everything else.
    writeWithoutSync(path, std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size()));
    return relative;
}

} // namespace poisonlab::demo
