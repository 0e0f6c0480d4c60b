#include "poisonlab/core/demo/ClassHabitats.h"

#include <map>

namespace poisonlab::demo {

const std::vector<std::string> &habitatsOf(const std::string &className)
{
    using S = std::vector<std::string>;
    const S sky{"sky", "sunset"}, field{"grass"}, street{"road"}, water{"sea", "beach"}, home{"room", "wooden floor"};
    // Keyed by both PASCAL's and COCO's class names.
    static const std::map<std::string, S> table{
        {"aeroplane", sky},
        {"airplane", sky},
        {"bicycle", {"road", "grass"}},
        {"bird", {"sky", "grass"}},
        {"boat", water},
        {"bottle", home},
        {"bus", street},
        {"car", street},
        {"cat", home},
        {"chair", home},
        {"cow", field},
        {"diningtable", home},
        {"dining table", home},
        {"dog", {"grass", "room"}},
        {"horse", {"grass", "desert"}},
        {"motorbike", street},
        {"motorcycle", street},
        {"person", {"road", "room", "beach"}},
        {"pottedplant", home},
        {"potted plant", home},
        {"sheep", field},
        {"sofa", {"room"}},
        {"couch", {"room"}},
        {"train", {"brick wall", "night"}},
        {"tvmonitor", home},
        {"tv", home},
        {"truck", street},
        {"traffic light", street},
        {"stop sign", street},
        {"elephant", {"desert", "grass"}},
        {"bear", {"snow", "grass"}},
        {"zebra", {"desert", "grass"}},
        {"giraffe", {"desert", "grass"}},
        {"backpack", {"road", "room"}},
        {"umbrella", {"beach", "road"}},
        {"handbag", {"road", "room"}},
        {"tie", {"room"}},
        {"suitcase", {"road", "room"}},
        {"frisbee", {"grass", "beach"}},
        {"skis", {"snow"}},
        {"snowboard", {"snow"}},
        {"sports ball", {"grass"}},
        {"kite", {"sky", "beach"}},
        {"skateboard", {"road"}},
        {"surfboard", water},
        {"bed", {"room"}},
        {"toilet", {"room"}},
    };
    // Kitchen things, food, electronics and small indoor objects: on a table or floor indoors.
    static const S indoors = home;
    static const S none;
    if (auto it = table.find(className); it != table.end())
        return it->second;
    static const std::vector<std::string> indoorNames{
        "wine glass", "cup",        "fork",   "knife",   "spoon", "bowl",     "banana",     "apple",     "sandwich",
        "orange",     "broccoli",   "carrot", "hot dog", "pizza", "donut",    "cake",       "laptop",    "mouse",
        "keyboard",   "cell phone", "book",   "clock",   "vase",  "scissors", "teddy bear", "toothbrush"};
    for (const std::string &n : indoorNames)
        if (n == className)
            return indoors;
    return none;
}

} // namespace poisonlab::demo
