#include "poisonlab/core/data/Dataset.h"

namespace poisonlab::data {

std::string_view splitName(Split split)
{
    switch (split) {
    case Split::Train:
        return "train";
    case Split::Val:
        return "val";
    case Split::Test:
        return "test";
    case Split::None:
        break;
    }
    return "none";
}

std::optional<Split> parseSplit(std::string_view name)
{
    if (name == "train" || name == "restval")
        return Split::Train;
    if (name == "val" || name == "validation" || name == "dev")
        return Split::Val;
    if (name == "test")
        return Split::Test;
    if (name == "none" || name.empty())
        return Split::None;
    return std::nullopt;
}

int Dataset::classIndex(std::string_view name) const
{
    for (size_t i = 0; i < classes.size(); ++i)
        if (classes[i] == name)
            return static_cast<int>(i);
    return -1;
}

std::vector<std::vector<int>> Dataset::captionsByImage() const
{
    std::vector<std::vector<int>> out(images.size());
    for (size_t c = 0; c < captions.size(); ++c) {
        const int img = captions[c].image;
        if (img >= 0 && static_cast<size_t>(img) < images.size())
            out[img].push_back(static_cast<int>(c));
    }
    return out;
}

} // namespace poisonlab::data
