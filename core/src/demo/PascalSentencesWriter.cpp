// Emoji-PASCAL in the layout of the PASCAL sentences set (Rashtchian et al. 2010):
//   dataset/<class>/<image>.png      the images, one folder per VOC class
//   sentence/<class>/<image>.txt     five captions, one per line
#include "poisonlab/core/demo/DemoDatasetWriter.h"

#include <cstdio>
#include <map>

namespace poisonlab::demo {

namespace {

class PascalSentencesWriter final : public DemoDatasetWriter {
public:
    using DemoDatasetWriter::DemoDatasetWriter;

    std::string add(int, const std::string &, const Scene &scene, const std::vector<std::string> &captions) override
    {
        const std::string &cls = m_classes.at(scene.facts.label).name;
        char stem[32];
        std::snprintf(stem, sizeof stem, "%s_%04d", cls.c_str(), m_perClass[scene.facts.label]++);
        const std::string relative = writeImage("dataset/" + cls + "/" + stem, scene.image);
        std::string text;
        for (const std::string &c : captions)
            text += c + "\n";
        writeWithoutSync(m_root / "sentence" / cls / (std::string(stem) + ".txt"), text);
        return relative;
    }

    void finish() override {}

private:
    std::map<int, int> m_perClass;
};

} // namespace

std::unique_ptr<DemoDatasetWriter>
DemoDatasetWriter::pascalSentences(std::filesystem::path root, std::string imageFormat, std::vector<EmojiClass> classes)
{
    return std::make_unique<PascalSentencesWriter>(std::move(root), std::move(imageFormat), std::move(classes));
}

} // namespace poisonlab::demo
