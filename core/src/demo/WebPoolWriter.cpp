// Emoji-Web: a large pool of image-caption pairs, as
//   images/<6-digit index>.png
//   captions.csv   header "image,caption,label,split"; image paths relative to the CSV's folder;
//                  fields quoted as RFC 4180 says when they hold a comma, quote or line break
#include "poisonlab/core/demo/DemoDatasetWriter.h"

#include "poisonlab/core/AtomicFile.h"

#include <cstdio>

namespace poisonlab::demo {

namespace {

std::string csvField(const std::string &s)
{
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

class WebPoolWriter final : public DemoDatasetWriter {
public:
    using DemoDatasetWriter::DemoDatasetWriter;

    std::string add(int index, const std::string &split, const Scene &scene,
                    const std::vector<std::string> &captions) override
    {
        char stem[32];
        std::snprintf(stem, sizeof stem, "images/%06d", index);
        const std::string relative = writeImage(stem, scene.image);
        const std::string &label = m_classes.at(scene.facts.label).name;
        for (const std::string &c : captions)
            m_csv += csvField(relative) + "," + csvField(c) + "," + csvField(label) + "," + split + "\n";
        return relative;
    }

    void finish() override { writeFileAtomically(m_root / "captions.csv", m_csv); }

private:
    std::string m_csv = "image,caption,label,split\n";
};

} // namespace

std::unique_ptr<DemoDatasetWriter> DemoDatasetWriter::webPool(std::filesystem::path root, std::string imageFormat,
                                                              std::vector<EmojiClass> classes)
{
    return std::make_unique<WebPoolWriter>(std::move(root), std::move(imageFormat), std::move(classes));
}

} // namespace poisonlab::demo
