#include "poisonlab/core/eval/EvaluationRecordIndex.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/JsonFields.h"

#include <limits>

namespace poisonlab::eval {

using nlohmann::json;

namespace {

/// The class index of an entry's "class": -1 when it has none.
int classIndex(const JsonFields &entry, const std::vector<std::string> &classes)
{
    const std::string name = entry.text("class");
    if (name.empty())
        return -1;
    for (std::size_t k = 0; k < classes.size(); ++k)
        if (classes[k] == name)
            return int(k);
    entry.fail("class", "names class '" + name + "', which is not in the index's \"classes\" list");
}

} // namespace

EvaluationRecordIndex EvaluationRecordIndex::fromJson(const json &index, const std::filesystem::path &file,
                                                      const std::string &model)
{
    if (!index.is_object() || !index.contains("images") || !index.contains("captions"))
        throw Error(file, "is not an evaluation record index (no \"images\"/\"captions\")");
    const JsonFields in(index, file);
    EvaluationRecordIndex r;
    r.model = in.text("model", model);
    const json &classes = in.list("classes");
    for (std::size_t k = 0; k < classes.size(); ++k) {
        if (!classes[k].is_string())
            in.fail("classes", "[" + std::to_string(k) + "] must be a string, got " + shortJson(classes[k]));
        r.classes.push_back(classes[k].get<std::string>());
    }
    r.images = in.list("images", true).size();
    r.captions = in.list("captions", true).size();
    for (std::size_t i = 0; i < r.images; ++i) {
        const JsonFields im = in.item("images", i);
        im.text("path"); // compared between records by `analyze`
        r.imageClass.push_back(classIndex(im, r.classes));
    }
    const long long lastImage = (long long)r.images - 1;
    for (std::size_t i = 0; i < r.captions; ++i) {
        const JsonFields c = in.item("captions", i);
        c.text("text");
        r.captionClass.push_back(classIndex(c, r.classes));
        if (lastImage < 0)
            c.fail("image_row", "names an image, but the index lists none");
        r.captionImageRow.push_back(int(c.needInteger("image_row", 0, std::min<long long>(lastImage, INT32_MAX))));
        r.captionPoisoned.push_back(c.boolean("poisoned", false) ? 1 : 0);
    }
    const json evalOptions = in.object("eval_options");
    const JsonFields options(evalOptions, file, in.path("eval_options"));
    if (const std::string ties = options.text("ties"); !ties.empty()) {
        const auto parsed = parseTies(ties);
        if (!parsed)
            options.fail("ties", std::string("must be ") + kTiesChoices + ", got \"" + ties + "\"");
        r.ties = *parsed;
    }
    return r;
}

} // namespace poisonlab::eval
