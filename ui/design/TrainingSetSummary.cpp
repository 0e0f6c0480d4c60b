#include "design/TrainingSetSummary.h"

#include "poisonlab/core/attack/PoisonSampling.h"

#include <algorithm>
#include <cmath>

namespace poisonlab::ui {

const ClassCount *TrainingSetSummary::find(const std::string &name) const
{
    for (const ClassCount &c : classes)
        if (c.name == name)
            return &c;
    return nullptr;
}

long long TrainingSetSummary::units(const std::string &className, const std::string &unit) const
{
    const ClassCount *c = find(className);
    if (!c)
        return 0;
    return unit == "image" ? c->imagesWithCaptions : c->captions;
}

long long TrainingSetSummary::estimatePoisonedPairs(const std::string &source, double rate,
                                                    const std::string &unit) const
{
    const ClassCount *c = find(source);
    if (!c || !(rate > 0.0) || rate > 1.0)
        return 0;
    if (unit != "image")
        return attack::poisonCount(rate, c->captions);
    const long long images = attack::poisonCount(rate, c->imagesWithCaptions);
    if (images >= c->imagesWithCaptions)
        return c->captions; // every image: every caption, exactly
    const double perImage = c->imagesWithCaptions > 0 ? double(c->captions) / double(c->imagesWithCaptions) : 0.0;
    return std::llround(double(images) * perImage);
}

TrainingSetSummary TrainingSetSummary::compute(const data::Dataset &dataset, const std::string &split)
{
    TrainingSetSummary out;
    const bool anySplit = std::any_of(dataset.images.begin(), dataset.images.end(),
                                      [](const data::ImageRecord &r) { return r.split != data::Split::None; });
    out.split = anySplit ? split : "all";
    auto inSplit = [&](const data::ImageRecord &r) {
        return out.split == "all" || data::splitName(r.split) == out.split;
    };

    out.classes.resize(dataset.classes.size());
    for (size_t c = 0; c < dataset.classes.size(); ++c)
        out.classes[c].name = dataset.classes[c];
    std::vector<int> captionsOf(dataset.images.size(), 0);
    for (const data::CaptionRecord &cap : dataset.captions) {
        // A poisoned caption still belongs to its own (original) image, as core counts D.
        const int own = cap.poisoned && cap.originalImage >= 0 ? cap.originalImage : cap.image;
        if (own < 0 || static_cast<size_t>(own) >= dataset.images.size() || !inSplit(dataset.images[own]))
            continue;
        ++out.trainingPairs;
        ++captionsOf[own];
    }
    for (size_t i = 0; i < dataset.images.size(); ++i) {
        const data::ImageRecord &r = dataset.images[i];
        if (r.label < 0 || static_cast<size_t>(r.label) >= out.classes.size() || !inSplit(r))
            continue;
        ClassCount &c = out.classes[r.label];
        ++c.images;
        c.captions += captionsOf[i];
        if (captionsOf[i] > 0)
            ++c.imagesWithCaptions;
    }
    return out;
}

} // namespace poisonlab::ui
