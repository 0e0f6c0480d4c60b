// Emoji-COCO as COCO 2017 files:
//   annotations/captions_{train,val}2017.json   info, licenses, images, annotations {image_id, id, caption}
//   annotations/instances_{train,val}2017.json  ... plus categories and annotations with bbox [x,y,w,h],
//                                               area, iscrowd 0 and the box as segmentation polygon
//   train2017/<12-digit id>.png, val2017/...
#include "poisonlab/core/demo/DemoDatasetWriter.h"

#include "poisonlab/core/AtomicFile.h"

#include <cstdio>
#include <map>

namespace poisonlab::demo {

namespace {

class CocoWriter final : public DemoDatasetWriter {
public:
    CocoWriter(std::filesystem::path root, std::string format, std::vector<EmojiClass> classes, std::uint64_t seed)
        : DemoDatasetWriter(std::move(root), std::move(format), std::move(classes)), m_seed(seed)
    {
        for (const char *split : {"train", "val"}) {
            m_images[split] = nlohmann::json::array();
            m_instances[split] = nlohmann::json::array();
            m_captions[split] = nlohmann::json::array();
        }
    }

    std::string add(int index, const std::string &split, const Scene &scene,
                    const std::vector<std::string> &captions) override
    {
        const int imageId = index + 1;
        char name[32];
        std::snprintf(name, sizeof name, "%012d", imageId);
        const std::string relative = writeImage(split + "2017/" + name, scene.image);
        m_images[split].push_back({{"license", 1},
                                   {"file_name", std::string(name) + "." + m_format},
                                   {"coco_url", ""},
                                   {"height", scene.image.rows},
                                   {"width", scene.image.cols},
                                   {"date_captured", "2026-01-01 00:00:00"},
                                   {"flickr_url", ""},
                                   {"id", imageId}});
        for (const ObjectFacts &o : scene.facts.objects) {
            const double x = o.x, y = o.y, w = o.w, h = o.h;
            m_instances[split].push_back({{"segmentation", {{x, y, x + w, y, x + w, y + h, x, y + h}}},
                                          {"area", w * h},
                                          {"iscrowd", 0},
                                          {"image_id", imageId},
                                          {"bbox", {x, y, w, h}},
                                          {"category_id", m_classes.at(o.classIndex).cocoId},
                                          {"id", ++m_lastAnnotationId}});
        }
        for (const std::string &c : captions)
            m_captions[split].push_back({{"image_id", imageId}, {"id", ++m_lastCaptionId}, {"caption", c}});
        return relative;
    }

    void finish() override
    {
        const nlohmann::json info{
            {"description", "Emoji-COCO: PoisonLab's offline demo data drawn from Noto Color Emoji"},
            {"url", ""},
            {"version", "1." + std::to_string(m_seed)},
            {"year", 2026},
            {"contributor", "PoisonLab demo-data generator"},
            {"date_created", "2026/01/01"}};
        const nlohmann::json licenses =
            nlohmann::json::array({{{"url", "https://scripts.sil.org/OFL"},
                                    {"id", 1},
                                    {"name", "SIL Open Font License 1.1 (Noto Color Emoji)"}}});
        nlohmann::json categories = nlohmann::json::array();
        for (const EmojiClass &c : m_classes)
            categories.push_back({{"supercategory", c.supercategory}, {"id", c.cocoId}, {"name", c.name}});
        for (const char *split : {"train", "val"}) {
            const std::string suffix = std::string(split) + "2017.json";
            // Compact, like the real files.
            writeJsonAtomically(m_root / "annotations" / ("instances_" + suffix),
                                {{"info", info},
                                 {"licenses", licenses},
                                 {"images", m_images[split]},
                                 {"annotations", m_instances[split]},
                                 {"categories", categories}},
                                -1);
            writeJsonAtomically(m_root / "annotations" / ("captions_" + suffix),
                                {{"info", info},
                                 {"licenses", licenses},
                                 {"images", m_images[split]},
                                 {"annotations", m_captions[split]}},
                                -1);
        }
    }

private:
    std::uint64_t m_seed;
    std::map<std::string, nlohmann::json> m_images, m_instances, m_captions;
    long long m_lastAnnotationId = 0;
    long long m_lastCaptionId = 0;
};

} // namespace

std::unique_ptr<DemoDatasetWriter> DemoDatasetWriter::coco(std::filesystem::path root, std::string imageFormat,
                                                           std::vector<EmojiClass> classes, std::uint64_t seed)
{
    return std::make_unique<CocoWriter>(std::move(root), std::move(imageFormat), std::move(classes), seed);
}

} // namespace poisonlab::demo
