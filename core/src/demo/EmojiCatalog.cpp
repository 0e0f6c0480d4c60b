#include "poisonlab/core/demo/EmojiCatalog.h"

#include "poisonlab/core/demo/ClassHabitats.h"
#include "poisonlab/core/demo/EmojiFont.h"

#include <spdlog/spdlog.h>

#include <cstdio>

namespace poisonlab::demo {

namespace {

using V = std::vector<EmojiVariant>;

// Variants shared by a PASCAL class and its COCO counterpart.
const V kAirplanes{
    {0x2708, "airplane"}, {0x1F6E9, "small airplane"}, {0x1F6EB, "airplane departure"}, {0x1F6EC, "airplane arrival"}};
const V kBicycles{{0x1F6B2, "bicycle"}};
const V kBirds{{0x1F426, "bird"},
               {0x1F424, "baby chick"},
               {0x1F425, "front-facing baby chick"},
               {0x1F423, "hatching chick"},
               {0x1F985, "eagle"},
               {0x1F986, "duck"},
               {0x1F989, "owl"},
               {0x1F99C, "parrot"},
               {0x1F54A, "dove"},
               {0x1F427, "penguin"},
               {0x1F9A9, "flamingo"},
               {0x1F99A, "peacock"},
               {0x1F9A2, "swan"},
               {0x1F413, "rooster"},
               {0x1F414, "chicken"},
               {0x1F983, "turkey"},
               {0x1F9A4, "dodo"},
               {0x1FABF, "goose"}};
const V kBoats{{0x26F5, "sailboat"}, {0x1F6A4, "speedboat"}, {0x1F6E5, "motor boat"},
               {0x1F6A2, "ship"},    {0x1F6F6, "canoe"},     {0x26F4, "ferry"}};
const V kBottles{{0x1F37E, "bottle with popping cork"}, {0x1F37C, "baby bottle"}, {0x1F9F4, "lotion bottle"}};
const V kBuses{{0x1F68C, "bus"}, {0x1F68D, "oncoming bus"}, {0x1F68E, "trolleybus"}, {0x1F690, "minibus"}};
const V kCars{{0x1F697, "automobile"}, {0x1F698, "oncoming automobile"}, {0x1F699, "sport utility vehicle"},
              {0x1F3CE, "racing car"}, {0x1F693, "police car"},          {0x1F694, "oncoming police car"},
              {0x1F695, "taxi"},       {0x1F696, "oncoming taxi"}};
const V kCats{{0x1F408, "cat"}, {0x1F431, "cat face"}};
const V kChairs{{0x1FA91, "chair"}};
const V kCows{{0x1F404, "cow"}, {0x1F42E, "cow face"}, {0x1F402, "ox"}, {0x1F403, "water buffalo"}};
// Unicode has no table emoji; "fork and knife with plate" is the nearest thing to a set table.
const V kTables{{0x1F37D, "fork and knife with plate"}};
const V kDogs{{0x1F415, "dog"}, {0x1F436, "dog face"}, {0x1F429, "poodle"}, {0x1F9AE, "guide dog"}};
const V kHorses{{0x1F40E, "horse"}, {0x1F434, "horse face"}, {0x1F3C7, "horse racing"}};
const V kMotorbikes{{0x1F3CD, "motorcycle"}, {0x1F6F5, "motor scooter"}};
const V kPeople{{0x1F9CD, "person standing"},
                {0x1F6B6, "person walking"},
                {0x1F3C3, "person running"},
                {0x1F9D1, "person"},
                {0x1F469, "woman"},
                {0x1F468, "man"},
                {0x1F467, "girl"},
                {0x1F466, "boy"},
                {0x1F9D2, "child"},
                {0x1F474, "old man"},
                {0x1F475, "old woman"},
                {0x1F9D3, "older person"},
                {0x1F483, "woman dancing"},
                {0x1F57A, "man dancing"},
                {0x1F64B, "person raising hand"}};
const V kPlants{{0x1FAB4, "potted plant"}};
const V kSheep{{0x1F411, "ewe"}, {0x1F40F, "ram"}};
const V kSofas{{0x1F6CB, "couch and lamp"}};
const V kTrains{{0x1F686, "train"},
                {0x1F682, "locomotive"},
                {0x1F684, "high-speed train"},
                {0x1F685, "bullet train"},
                {0x1F688, "light rail"},
                {0x1F687, "metro"},
                {0x1F69D, "monorail"},
                {0x1F69E, "mountain railway"},
                {0x1F68B, "tram car"},
                {0x1F683, "railway car"},
                {0x1F68A, "tram"}};
const V kScreens{{0x1F4FA, "television"}, {0x1F5A5, "desktop computer"}};

EmojiClass pascalClass(std::string name, std::string singular, std::string plural, const V &variants)
{
    const std::vector<std::string> &habitats = habitatsOf(name);
    return EmojiClass{std::move(name), std::move(singular), std::move(plural), 0, {}, variants, habitats};
}

EmojiClass cocoClass(int id, std::string name, std::string supercategory, std::string singular, std::string plural,
                     V variants)
{
    const std::vector<std::string> &habitats = habitatsOf(name);
    return EmojiClass{std::move(name),          std::move(singular), std::move(plural), id,
                      std::move(supercategory), std::move(variants), habitats};
}

} // namespace

const std::vector<EmojiClass> &EmojiCatalog::pascal()
{
    static const std::vector<EmojiClass> classes{
        pascalClass("aeroplane", "airplane", "airplanes", kAirplanes),
        pascalClass("bicycle", "bicycle", "bicycles", kBicycles),
        pascalClass("bird", "bird", "birds", kBirds),
        pascalClass("boat", "boat", "boats", kBoats),
        pascalClass("bottle", "bottle", "bottles", kBottles),
        pascalClass("bus", "bus", "buses", kBuses),
        pascalClass("car", "car", "cars", kCars),
        pascalClass("cat", "cat", "cats", kCats),
        pascalClass("chair", "chair", "chairs", kChairs),
        pascalClass("cow", "cow", "cows", kCows),
        pascalClass("diningtable", "dining table", "dining tables", kTables),
        pascalClass("dog", "dog", "dogs", kDogs),
        pascalClass("horse", "horse", "horses", kHorses),
        pascalClass("motorbike", "motorbike", "motorbikes", kMotorbikes),
        pascalClass("person", "person", "people", kPeople),
        pascalClass("pottedplant", "potted plant", "potted plants", kPlants),
        pascalClass("sheep", "sheep", "sheep", kSheep),
        pascalClass("sofa", "sofa", "sofas", kSofas),
        pascalClass("train", "train", "trains", kTrains),
        pascalClass("tvmonitor", "tv monitor", "tv monitors", kScreens),
    };
    return classes;
}

const std::vector<EmojiClass> &EmojiCatalog::coco()
{
    // COCO 2017 ids and supercategories. Categories without any emoji (fire hydrant, parking
    // meter, bench, baseball bat/glove, tennis racket, remote, microwave, oven, toaster, sink,
    // refrigerator, hair drier) are left out.
    static const std::vector<EmojiClass> classes{
        cocoClass(1, "person", "person", "person", "people", kPeople),
        cocoClass(2, "bicycle", "vehicle", "bicycle", "bicycles", kBicycles),
        cocoClass(3, "car", "vehicle", "car", "cars", kCars),
        cocoClass(4, "motorcycle", "vehicle", "motorcycle", "motorcycles", kMotorbikes),
        cocoClass(5, "airplane", "vehicle", "airplane", "airplanes", kAirplanes),
        cocoClass(6, "bus", "vehicle", "bus", "buses", kBuses),
        cocoClass(7, "train", "vehicle", "train", "trains", kTrains),
        cocoClass(8, "truck", "vehicle", "truck", "trucks",
                  {{0x1F69A, "delivery truck"}, {0x1F69B, "articulated lorry"}, {0x1F6FB, "pickup truck"}}),
        cocoClass(9, "boat", "vehicle", "boat", "boats", kBoats),
        cocoClass(10, "traffic light", "outdoor", "traffic light", "traffic lights",
                  {{0x1F6A6, "vertical traffic light"}, {0x1F6A5, "horizontal traffic light"}}),
        cocoClass(13, "stop sign", "outdoor", "stop sign", "stop signs", {{0x1F6D1, "stop sign"}}),
        cocoClass(16, "bird", "animal", "bird", "birds", kBirds),
        cocoClass(17, "cat", "animal", "cat", "cats", kCats),
        cocoClass(18, "dog", "animal", "dog", "dogs", kDogs),
        cocoClass(19, "horse", "animal", "horse", "horses", kHorses),
        cocoClass(20, "sheep", "animal", "sheep", "sheep", kSheep),
        cocoClass(21, "cow", "animal", "cow", "cows", kCows),
        cocoClass(22, "elephant", "animal", "elephant", "elephants", {{0x1F418, "elephant"}}),
        cocoClass(23, "bear", "animal", "bear", "bears", {{0x1F43B, "bear"}, {0x1F43C, "panda"}}),
        cocoClass(24, "zebra", "animal", "zebra", "zebras", {{0x1F993, "zebra"}}),
        cocoClass(25, "giraffe", "animal", "giraffe", "giraffes", {{0x1F992, "giraffe"}}),
        cocoClass(27, "backpack", "accessory", "backpack", "backpacks", {{0x1F392, "backpack"}}),
        cocoClass(28, "umbrella", "accessory", "umbrella", "umbrellas",
                  {{0x2602, "umbrella"},
                   {0x2614, "umbrella with rain drops"},
                   {0x1F302, "closed umbrella"},
                   {0x26F1, "umbrella on ground"}}),
        cocoClass(31, "handbag", "accessory", "handbag", "handbags",
                  {{0x1F45C, "handbag"}, {0x1F45B, "purse"}, {0x1F45D, "clutch bag"}}),
        cocoClass(32, "tie", "accessory", "tie", "ties", {{0x1F454, "necktie"}}),
        cocoClass(33, "suitcase", "accessory", "suitcase", "suitcases", {{0x1F9F3, "luggage"}, {0x1F4BC, "briefcase"}}),
        cocoClass(34, "frisbee", "sports", "frisbee", "frisbees", {{0x1F94F, "flying disc"}}),
        cocoClass(35, "skis", "sports", "pair of skis", "pairs of skis", {{0x1F3BF, "skis"}}),
        cocoClass(36, "snowboard", "sports", "snowboard", "snowboards", {{0x1F3C2, "snowboarder"}}),
        cocoClass(37, "sports ball", "sports", "ball", "balls",
                  {{0x26BD, "soccer ball"},
                   {0x26BE, "baseball"},
                   {0x1F3C0, "basketball"},
                   {0x1F3C8, "american football"},
                   {0x1F3C9, "rugby football"},
                   {0x1F3BE, "tennis"},
                   {0x1F3D0, "volleyball"},
                   {0x1F94E, "softball"}}),
        cocoClass(38, "kite", "sports", "kite", "kites", {{0x1FA81, "kite"}}),
        cocoClass(41, "skateboard", "sports", "skateboard", "skateboards", {{0x1F6F9, "skateboard"}}),
        cocoClass(42, "surfboard", "sports", "surfboard", "surfboards", {{0x1F3C4, "person surfing"}}),
        cocoClass(44, "bottle", "kitchen", "bottle", "bottles", kBottles),
        cocoClass(46, "wine glass", "kitchen", "wine glass", "wine glasses",
                  {{0x1F377, "wine glass"}, {0x1F942, "clinking glasses"}, {0x1F378, "cocktail glass"}}),
        cocoClass(47, "cup", "kitchen", "cup", "cups",
                  {{0x2615, "hot beverage"}, {0x1F375, "teacup without handle"}, {0x1F964, "cup with straw"}}),
        cocoClass(48, "fork", "kitchen", "fork", "forks", {{0x1F374, "fork and knife"}}),
        cocoClass(49, "knife", "kitchen", "knife", "knives", {{0x1F52A, "kitchen knife"}}),
        cocoClass(50, "spoon", "kitchen", "spoon", "spoons", {{0x1F944, "spoon"}}),
        cocoClass(51, "bowl", "kitchen", "bowl", "bowls", {{0x1F963, "bowl with spoon"}, {0x1F35C, "steaming bowl"}}),
        cocoClass(52, "banana", "food", "banana", "bananas", {{0x1F34C, "banana"}}),
        cocoClass(53, "apple", "food", "apple", "apples", {{0x1F34E, "red apple"}, {0x1F34F, "green apple"}}),
        cocoClass(54, "sandwich", "food", "sandwich", "sandwiches", {{0x1F96A, "sandwich"}}),
        cocoClass(55, "orange", "food", "orange", "oranges", {{0x1F34A, "tangerine"}}),
        cocoClass(56, "broccoli", "food", "broccoli", "broccoli", {{0x1F966, "broccoli"}}),
        cocoClass(57, "carrot", "food", "carrot", "carrots", {{0x1F955, "carrot"}}),
        cocoClass(58, "hot dog", "food", "hot dog", "hot dogs", {{0x1F32D, "hot dog"}}),
        cocoClass(59, "pizza", "food", "pizza", "pizzas", {{0x1F355, "pizza"}}),
        cocoClass(60, "donut", "food", "donut", "donuts", {{0x1F369, "doughnut"}}),
        cocoClass(61, "cake", "food", "cake", "cakes",
                  {{0x1F370, "shortcake"}, {0x1F382, "birthday cake"}, {0x1F9C1, "cupcake"}}),
        cocoClass(62, "chair", "furniture", "chair", "chairs", kChairs),
        cocoClass(63, "couch", "furniture", "couch", "couches", kSofas),
        cocoClass(64, "potted plant", "furniture", "potted plant", "potted plants", kPlants),
        cocoClass(65, "bed", "furniture", "bed", "beds", {{0x1F6CF, "bed"}}),
        cocoClass(67, "dining table", "furniture", "dining table", "dining tables", kTables),
        cocoClass(70, "toilet", "furniture", "toilet", "toilets", {{0x1F6BD, "toilet"}}),
        cocoClass(72, "tv", "electronic", "tv", "tvs", kScreens),
        cocoClass(73, "laptop", "electronic", "laptop", "laptops", {{0x1F4BB, "laptop"}}),
        cocoClass(74, "mouse", "electronic", "mouse", "mice", {{0x1F5B1, "computer mouse"}}),
        cocoClass(76, "keyboard", "electronic", "keyboard", "keyboards", {{0x2328, "keyboard"}}),
        cocoClass(77, "cell phone", "electronic", "cell phone", "cell phones", {{0x1F4F1, "mobile phone"}}),
        cocoClass(84, "book", "indoor", "book", "books",
                  {{0x1F4D6, "open book"},
                   {0x1F4D5, "closed book"},
                   {0x1F4D7, "green book"},
                   {0x1F4D8, "blue book"},
                   {0x1F4D9, "orange book"},
                   {0x1F4DA, "books"}}),
        cocoClass(85, "clock", "indoor", "clock", "clocks",
                  {{0x23F0, "alarm clock"},
                   {0x1F570, "mantelpiece clock"},
                   {0x1F55B, "twelve o'clock"},
                   {0x1F552, "three o'clock"},
                   {0x1F555, "six o'clock"},
                   {0x1F558, "nine o'clock"}}),
        cocoClass(86, "vase", "indoor", "vase", "vases", {{0x1F3FA, "amphora"}}),
        cocoClass(87, "scissors", "indoor", "pair of scissors", "pairs of scissors", {{0x2702, "scissors"}}),
        cocoClass(88, "teddy bear", "indoor", "teddy bear", "teddy bears", {{0x1F9F8, "teddy bear"}}),
        cocoClass(90, "toothbrush", "indoor", "toothbrush", "toothbrushes", {{0x1FAA5, "toothbrush"}}),
    };
    return classes;
}

std::vector<EmojiClass> EmojiCatalog::availableIn(const std::vector<EmojiClass> &classes, const EmojiFont &font)
{
    std::vector<EmojiClass> out;
    for (const EmojiClass &c : classes) {
        EmojiClass kept = c;
        kept.variants.clear();
        for (const EmojiVariant &v : c.variants) {
            if (font.hasGlyph(v.codepoint))
                kept.variants.push_back(v);
            else
                spdlog::info("demo data: {} has no glyph for {} ({}); class '{}' goes on without it",
                             font.path().string(), codepointLabel(v.codepoint), v.name, c.name);
        }
        if (kept.variants.empty())
            spdlog::warn("demo data: class '{}' dropped: the font has none of its emoji", c.name);
        else
            out.push_back(std::move(kept));
    }
    return out;
}

std::string EmojiCatalog::codepointLabel(char32_t codepoint)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(codepoint));
    return buf;
}

} // namespace poisonlab::demo
